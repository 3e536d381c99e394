/** The HTTP upgrade: `$connect` decides whether the socket opens, as on API Gateway. */
import { randomBytes } from "node:crypto";
import { type IncomingMessage, type Server, STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import type { WebSocketServer } from "ws";
import { CLOSE_GRACE_MS, type Connections, type ErrorReporter } from "./connections.ts";
import { type EventBuilder, resultOf, type WsHandler } from "./events.ts";

/** A connection id shaped like API Gateway's ("GVlYKdvBoAMCFBA="): 11 random bytes, base64 with URL-safe letters. */
export function newConnectionId(): string {
  return randomBytes(11).toString("base64").replaceAll("+", "-").replaceAll("/", "_");
}

const WS_KEY = /^[+/0-9A-Za-z]{22}==$/;

function writeUpgradeRefusal(socket: Duplex, statusCode: number, body: string | undefined): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const payload = Buffer.from(body ?? "", "utf8");
  const reason = STATUS_CODES[statusCode] ?? "Unknown";
  const head = [
    `HTTP/1.1 ${statusCode} ${reason}`,
    "Connection: close",
    `Content-Length: ${payload.length}`,
    ...(payload.length > 0
      ? [`Content-Type: ${/^\s*[[{]/.test(body ?? "") ? "application/json" : "text/plain"}`]
      : []),
    "",
    "",
  ].join("\r\n");
  socket.end(Buffer.concat([Buffer.from(head, "latin1"), payload]));
  // Make sure the socket goes away even if the peer never reads.
  setTimeout(() => socket.destroy(), CLOSE_GRACE_MS).unref();
}

export interface UpgradeOptions {
  server: Server;
  path: string;
  wss: WebSocketServer;
  connect: WsHandler;
  events: EventBuilder;
  connections: Connections;
  reportError: ErrorReporter;
  /** True once the gateway is closing: new connections are refused. */
  closed: () => boolean;
}

/** The server's "upgrade" listener for `path`. */
export const upgradeListener = (options: UpgradeOptions) => {
  const { connections, events, reportError, closed } = options;

  const handleUpgrade = async (req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> => {
    const swallow = () => {};
    socket.on("error", swallow);
    const key = req.headers["sec-websocket-key"];
    const version = Number(req.headers["sec-websocket-version"]);
    if (
      req.method !== "GET" ||
      req.headers.upgrade?.toLowerCase() !== "websocket" ||
      key === undefined ||
      !WS_KEY.test(key) ||
      (version !== 13 && version !== 8)
    ) {
      writeUpgradeRefusal(socket, 400, "Bad Request");
      return;
    }
    if (closed()) {
      writeUpgradeRefusal(socket, 503, "Service Unavailable");
      return;
    }

    const info = events.connectionOf(req, newConnectionId());
    let statusCode: number;
    let body: string | undefined;
    try {
      const event = events.connect(info, new URL(req.url ?? "/", "http://localhost"));
      ({ statusCode, body } = resultOf(await options.connect(event)));
    } catch (error) {
      reportError(error, { routeKey: "$connect", connectionId: info.id });
      writeUpgradeRefusal(socket, 500, JSON.stringify({ message: "Internal server error" }));
      return;
    }
    if (statusCode < 200 || statusCode > 299) {
      writeUpgradeRefusal(socket, statusCode, body);
      return;
    }
    const conn = connections.register(info);
    if (closed()) {
      writeUpgradeRefusal(socket, 503, "Service Unavailable");
      await connections.disconnect(conn.id, 1001, "Going away");
      return;
    }
    let opened = false;
    socket.removeListener("error", swallow);
    options.wss.handleUpgrade(req, socket, head, (ws) => {
      opened = true;
      connections.accept(conn, ws);
    });
    if (!opened) {
      // ws refused the handshake or found the socket already gone.
      await connections.disconnect(conn.id, 1006, "Connection closed before it opened");
    }
  };

  return (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    let pathname: string;
    try {
      pathname = new URL(req.url ?? "/", "http://localhost").pathname;
    } catch {
      pathname = "";
    }
    if (pathname !== options.path) {
      // Leave the request to another upgrade listener if there is one; otherwise refuse it.
      if (options.server.listenerCount("upgrade") <= 1) {
        socket.on("error", () => {});
        writeUpgradeRefusal(socket, 404, "Not Found");
      }
      return;
    }
    void connections.track(
      handleUpgrade(req, socket, head).catch((error: unknown) => {
        reportError(error, { routeKey: "$connect", connectionId: "" });
        socket.destroy();
      }),
    );
  };
};
