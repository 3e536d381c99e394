/**
 * The local stand-in for API Gateway's WebSocket API.
 *
 * It gives the same Lambda handlers the same `$connect` / `$default` / `$disconnect` events as
 * API Gateway, and it implements the `@connections` management endpoint (POST/GET/DELETE) the way
 * `@aws-sdk/client-apigatewaymanagementapi` calls it, so the real SDK client works unchanged
 * against `http://127.0.0.1:<port>` (optionally with a path prefix such as `/local`, like a
 * stage in `https://{api}.execute-api.{region}.amazonaws.com/{stage}`).
 *
 * API Gateway behaviour that is reproduced:
 * - `$connect` decides: only a 2xx answer opens the socket; any other status (and body) is
 *   what the client gets as the HTTP answer to its upgrade request.
 * - A route response body returned by the `$default` handler is sent back on the socket; a
 *   handler that throws makes the client receive `{"message":"Internal server error",...}`.
 * - Messages above 128 KiB close the connection with 1009; idle connections (no message from
 *   the client for 10 min) and connections older than 2 h are closed with 1001.
 * - `$disconnect` fires exactly once for every connection whose `$connect` succeeded, and never
 *   for a connection that `$connect` refused.
 * - Unknown or closed connections answer 410 with `x-amzn-errortype: GoneException`.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { type IncomingMessage, type Server, type ServerResponse, STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import type {
  APIGatewayEventWebsocketRequestContextV2,
  APIGatewayProxyResultV2,
  APIGatewayProxyWebsocketEventV2,
} from "aws-lambda";
import { type RawData, type WebSocket, WebSocketServer } from "ws";

/** API Gateway's limits (https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html). */
export const DEFAULT_MAX_FRAME_BYTES = 128 * 1024;
export const DEFAULT_IDLE_TIMEOUT_MS = 10 * 60 * 1000;
export const DEFAULT_MAX_CONNECTION_MS = 2 * 60 * 60 * 1000;
/** How long a socket we close may take to answer the close handshake before it is cut. */
const CLOSE_GRACE_MS = 1000;

export interface WsRequestContext extends APIGatewayEventWebsocketRequestContextV2 {
  identity: { sourceIp: string; userAgent?: string };
  /** `$disconnect` only: the WebSocket close code and reason. */
  disconnectStatusCode?: number;
  disconnectReason?: string;
}

/** The event a handler receives: API Gateway's WebSocket proxy event, with what the real one also carries. */
export type WsEvent = APIGatewayProxyWebsocketEventV2 & {
  requestContext: WsRequestContext;
  /** `$connect` / `$disconnect`: the request's headers (names as the client sent them). */
  headers?: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
  /** `$connect`: absent when the URL has no query string. */
  queryStringParameters?: Record<string, string>;
  multiValueQueryStringParameters?: Record<string, string[]>;
};

/**
 * A Lambda-style handler. Like API Gateway's Lambda proxy integration it may return a
 * `{ statusCode, body }` object or a string (= 200 with that body).
 */
export type WsHandler = (event: WsEvent) => Promise<APIGatewayProxyResultV2 | undefined>;

export interface WsGatewayOptions {
  /** The WebSocket URL path, e.g. "/api/v1/chat/ws". */
  path: string;
  handlers: { connect: WsHandler; disconnect: WsHandler; message: WsHandler };
  /** `requestContext.stage`; default "local". */
  stage?: string;
  /** Largest message accepted from a client; default 128 KiB, like API Gateway. */
  maxFrameBytes?: number;
  /** Close a connection when the client has sent nothing for this long; default 10 min. */
  idleTimeoutMs?: number;
  /** Close every connection this long after it opened; default 2 h. */
  maxConnectionMs?: number;
  /** Source of timestamps in events and GetConnection (structurally core's `Clock`); default Date.now. */
  clock?: { now(): number };
  /** Where handler failures are reported; default console.error. */
  onError?: (error: unknown, context: { routeKey: string; connectionId: string }) => void;
}

export interface WsGateway {
  /** Node request listener for `[/prefix]/@connections/{id}`; returns true if it handled the request. */
  handleManagementRequest(req: IncomingMessage, res: ServerResponse): boolean;
  /** Closes every socket (firing `$disconnect` for each) and stops accepting connections. */
  close(): Promise<void>;
  /** Open connections. */
  connectionCount(): number;
}

interface Connection {
  id: string;
  ws: WebSocket;
  connectedAt: number;
  lastActiveAt: number;
  sourceIp: string;
  userAgent: string | undefined;
  domainName: string;
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]>;
  timers: NodeJS.Timeout[];
  /** Serialises `$default` invocations so a client's messages are handled in order. */
  queue: Promise<void>;
}

/** True for IPv4 127.0.0.0/8 and IPv6 ::1, also in IPv4-mapped form (::ffff:127.x.x.x). */
export function isLoopback(address: string | undefined | null): boolean {
  if (!address) return false;
  let a = address.trim().toLowerCase();
  if (a.startsWith("[") && a.endsWith("]")) a = a.slice(1, -1);
  const zone = a.indexOf("%");
  if (zone >= 0) a = a.slice(0, zone);
  if (a === "::1" || a === "0:0:0:0:0:0:0:1") return true;
  for (const prefix of ["::ffff:", "0:0:0:0:0:ffff:"]) {
    if (a.startsWith(prefix)) {
      a = a.slice(prefix.length);
      break;
    }
  }
  const parts = a.split(".");
  if (parts.length !== 4) return false;
  if (!parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return false;
  return parts[0] === "127";
}

/** A connection id shaped like API Gateway's ("GVlYKdvBoAMCFBA="): 11 random bytes, base64 with URL-safe letters. */
export function newConnectionId(): string {
  return randomBytes(11).toString("base64").replaceAll("+", "-").replaceAll("/", "_");
}

const WS_KEY = /^[+/0-9A-Za-z]{22}==$/;

/** API Gateway's `requestTime` format: "09/Apr/2015:12:34:56 +0000". */
function requestTime(ms: number): string {
  const d = new Date(ms);
  const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:${two(d.getUTCHours())}:${two(
    d.getUTCMinutes(),
  )}:${two(d.getUTCSeconds())} +0000`;
}

function normaliseIp(address: string | undefined): string {
  if (!address) return "";
  return address.startsWith("::ffff:") && address.includes(".") ? address.slice("::ffff:".length) : address;
}

function headersOf(req: IncomingMessage): {
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]>;
} {
  const multiValueHeaders: Record<string, string[]> = {};
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] as string;
    const value = raw[i + 1] as string;
    const existing = Object.keys(multiValueHeaders).find((k) => k.toLowerCase() === name.toLowerCase());
    if (existing) multiValueHeaders[existing]?.push(value);
    else multiValueHeaders[name] = [value];
  }
  const headers: Record<string, string> = {};
  for (const [name, values] of Object.entries(multiValueHeaders)) headers[name] = values.join(",");
  return { headers, multiValueHeaders };
}

function queryOf(url: URL): {
  queryStringParameters?: Record<string, string>;
  multiValueQueryStringParameters?: Record<string, string[]>;
} {
  const keys = [...new Set(url.searchParams.keys())];
  if (keys.length === 0) return {};
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const key of keys) {
    const values = url.searchParams.getAll(key);
    multi[key] = values;
    single[key] = values[values.length - 1] ?? "";
  }
  return { queryStringParameters: single, multiValueQueryStringParameters: multi };
}

/** Normalises a Lambda proxy result the way API Gateway does. */
function resultOf(result: APIGatewayProxyResultV2 | undefined): {
  statusCode: number;
  body: string | undefined;
  isBase64Encoded: boolean;
} {
  if (typeof result === "string") return { statusCode: 200, body: result, isBase64Encoded: false };
  if (result === undefined || result === null)
    return { statusCode: 200, body: undefined, isBase64Encoded: false };
  return {
    statusCode: result.statusCode ?? 200,
    body: result.body,
    isBase64Encoded: result.isBase64Encoded === true,
  };
}

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

const CONNECTIONS_PATH = /^((?:\/[^/]+)*)\/@connections\/([^/]+)\/?$/;

export function attachWsGateway(server: Server, options: WsGatewayOptions): WsGateway {
  const stage = options.stage ?? "local";
  const maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  const idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  const maxConnectionMs = options.maxConnectionMs ?? DEFAULT_MAX_CONNECTION_MS;
  const now = () => (options.clock ? options.clock.now() : Date.now());
  const reportError =
    options.onError ??
    ((error: unknown, context: { routeKey: string; connectionId: string }) => {
      console.error(`[ws-gateway] ${context.routeKey} handler failed for ${context.connectionId}:`, error);
    });

  const wss = new WebSocketServer({ noServer: true, maxPayload: maxFrameBytes, perMessageDeflate: false });
  /** Connections that can be addressed through `@connections` (open, not being closed by us). */
  const open = new Map<string, Connection>();
  /** Work close() must wait for: upgrades in progress and `$disconnect` invocations. */
  const pending = new Set<Promise<unknown>>();
  /** Connection ids whose `$disconnect` has been fired (or is owed), for the exactly-once rule. */
  const disconnected = new Set<string>();
  /** Connection ids that are established (or being established) and not yet disconnected. */
  const live = new Map<string, { ws?: WebSocket }>();
  let closed = false;

  const track = <T>(p: Promise<T>): Promise<T> => {
    pending.add(p);
    void p.finally(() => pending.delete(p)).catch(() => {});
    return p;
  };

  const baseContext = (
    routeKey: string,
    eventType: WsRequestContext["eventType"],
    connectionId: string,
    connectedAt: number,
    domainName: string,
    sourceIp: string,
    userAgent: string | undefined,
  ): WsRequestContext => {
    const t = now();
    return {
      routeKey,
      eventType,
      messageId: randomBytes(10).toString("base64"),
      extendedRequestId: randomBytes(10).toString("base64"),
      requestTime: requestTime(t),
      messageDirection: "IN",
      stage,
      connectedAt,
      requestTimeEpoch: t,
      requestId: randomUUID(),
      domainName,
      connectionId,
      apiId: "local",
      identity: userAgent === undefined ? { sourceIp } : { sourceIp, userAgent },
    };
  };

  const invoke = async (handler: WsHandler, event: WsEvent) => resultOf(await handler(event));

  const fireDisconnect = (
    info: {
      id: string;
      connectedAt: number;
      domainName: string;
      sourceIp: string;
      userAgent: string | undefined;
      headers: Record<string, string>;
      multiValueHeaders: Record<string, string[]>;
    },
    code: number,
    reason: string,
  ): Promise<void> => {
    if (disconnected.has(info.id)) return Promise.resolve();
    disconnected.add(info.id);
    open.delete(info.id);
    live.delete(info.id);
    const requestContext = baseContext(
      "$disconnect",
      "DISCONNECT",
      info.id,
      info.connectedAt,
      info.domainName,
      info.sourceIp,
      info.userAgent,
    );
    requestContext.disconnectStatusCode = code;
    requestContext.disconnectReason = reason;
    const event: WsEvent = {
      requestContext,
      headers: info.headers,
      multiValueHeaders: info.multiValueHeaders,
      isBase64Encoded: false,
    };
    return track(
      invoke(options.handlers.disconnect, event).then(
        () => {},
        (error: unknown) => reportError(error, { routeKey: "$disconnect", connectionId: info.id }),
      ),
    );
  };

  /** Closes a socket from our side and cuts it if the peer does not finish the close handshake. */
  const closeSocket = (conn: Connection, code: number, reason: string) => {
    open.delete(conn.id);
    for (const timer of conn.timers) clearTimeout(timer);
    if (conn.ws.readyState === conn.ws.CLOSED) return;
    conn.ws.close(code, reason);
    setTimeout(() => conn.ws.terminate(), CLOSE_GRACE_MS).unref();
  };

  const onMessage = (conn: Connection, data: RawData, isBinary: boolean) => {
    conn.lastActiveAt = now();
    if (open.has(conn.id)) conn.timers[0]?.refresh(); // the idle timer; not once we are closing
    const buffer = Buffer.isBuffer(data)
      ? data
      : Array.isArray(data)
        ? Buffer.concat(data)
        : Buffer.from(data as ArrayBuffer);
    const requestContext = baseContext(
      "$default",
      "MESSAGE",
      conn.id,
      conn.connectedAt,
      conn.domainName,
      conn.sourceIp,
      conn.userAgent,
    );
    const event: WsEvent = {
      requestContext,
      body: isBinary ? buffer.toString("base64") : buffer.toString("utf8"),
      isBase64Encoded: isBinary,
    };
    conn.queue = conn.queue.then(async () => {
      let reply: string | Buffer | undefined;
      try {
        const result = await invoke(options.handlers.message, event);
        if (result.body !== undefined && result.body !== "") {
          reply = result.isBase64Encoded ? Buffer.from(result.body, "base64") : result.body;
        }
      } catch (error) {
        reportError(error, { routeKey: "$default", connectionId: conn.id });
        reply = JSON.stringify({
          message: "Internal server error",
          connectionId: conn.id,
          requestId: requestContext.requestId,
        });
      }
      if (reply !== undefined && conn.ws.readyState === conn.ws.OPEN) {
        conn.ws.send(reply, { binary: Buffer.isBuffer(reply) });
      }
    });
  };

  const accept = (
    ws: WebSocket,
    info: Omit<Connection, "ws" | "timers" | "queue" | "lastActiveAt">,
  ): Connection => {
    const conn: Connection = {
      ...info,
      ws,
      lastActiveAt: info.connectedAt,
      timers: [],
      queue: Promise.resolve(),
    };
    const idle = setTimeout(() => closeSocket(conn, 1001, "Going away"), idleTimeoutMs);
    const lifetime = setTimeout(() => closeSocket(conn, 1001, "Going away"), maxConnectionMs);
    idle.unref();
    lifetime.unref();
    conn.timers.push(idle, lifetime);
    open.set(conn.id, conn);
    live.set(conn.id, { ws });
    ws.on("message", (data, isBinary) => onMessage(conn, data, isBinary));
    ws.on("error", (error: Error & { code?: string }) => {
      // ws has already sent the close frame (1009 for an oversized message): just forget the id.
      open.delete(conn.id);
      if (error.code !== "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH") {
        reportError(error, { routeKey: "$default", connectionId: conn.id });
      }
    });
    ws.on("close", (code, reason) => {
      for (const timer of conn.timers) clearTimeout(timer);
      void fireDisconnect(conn, code, reason.toString("utf8"));
    });
    return conn;
  };

  const handleUpgrade = async (req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> => {
    const swallow = () => {};
    socket.on("error", swallow);
    const method = req.method ?? "";
    const key = req.headers["sec-websocket-key"];
    const version = Number(req.headers["sec-websocket-version"]);
    if (
      method !== "GET" ||
      req.headers.upgrade?.toLowerCase() !== "websocket" ||
      key === undefined ||
      !WS_KEY.test(key) ||
      (version !== 13 && version !== 8)
    ) {
      writeUpgradeRefusal(socket, 400, "Bad Request");
      return;
    }
    if (closed) {
      writeUpgradeRefusal(socket, 503, "Service Unavailable");
      return;
    }

    const url = new URL(req.url ?? "/", "http://localhost");
    const id = newConnectionId();
    const connectedAt = now();
    const sourceIp = normaliseIp(req.socket.remoteAddress);
    const userAgent = req.headers["user-agent"];
    const domainName = req.headers.host ?? "localhost";
    const { headers, multiValueHeaders } = headersOf(req);
    const info = { id, connectedAt, domainName, sourceIp, userAgent, headers, multiValueHeaders };
    const event: WsEvent = {
      requestContext: baseContext("$connect", "CONNECT", id, connectedAt, domainName, sourceIp, userAgent),
      headers,
      multiValueHeaders,
      ...queryOf(url),
      isBase64Encoded: false,
    };

    let statusCode: number;
    let body: string | undefined;
    try {
      ({ statusCode, body } = await invoke(options.handlers.connect, event));
    } catch (error) {
      reportError(error, { routeKey: "$connect", connectionId: id });
      writeUpgradeRefusal(socket, 500, JSON.stringify({ message: "Internal server error" }));
      return;
    }
    if (statusCode < 200 || statusCode > 299) {
      writeUpgradeRefusal(socket, statusCode, body);
      return;
    }
    // From here on $connect has said yes, so $disconnect is owed exactly once, whatever happens.
    if (closed) {
      writeUpgradeRefusal(socket, 503, "Service Unavailable");
      await fireDisconnect(info, 1001, "Going away");
      return;
    }
    live.set(id, {});
    let opened = false;
    socket.removeListener("error", swallow);
    wss.handleUpgrade(req, socket, head, (ws) => {
      opened = true;
      accept(ws, info);
    });
    if (!opened) {
      // ws refused the handshake or found the socket already gone.
      await fireDisconnect(info, 1006, "Connection closed before it opened");
    }
  };

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    let pathname: string;
    try {
      pathname = new URL(req.url ?? "/", "http://localhost").pathname;
    } catch {
      pathname = "";
    }
    if (pathname !== options.path) {
      // Leave the request to another upgrade listener if there is one; otherwise refuse it.
      if (server.listenerCount("upgrade") <= 1) {
        socket.on("error", () => {});
        writeUpgradeRefusal(socket, 404, "Not Found");
      }
      return;
    }
    void track(
      handleUpgrade(req, socket, head).catch((error: unknown) => {
        reportError(error, { routeKey: "$connect", connectionId: "" });
        socket.destroy();
      }),
    );
  };
  server.on("upgrade", onUpgrade);

  const sendJson = (
    res: ServerResponse,
    statusCode: number,
    body: unknown,
    errorType?: string,
    extraHeaders: Record<string, string> = {},
  ) => {
    const headers: Record<string, string> = { "x-amzn-requestid": randomUUID(), ...extraHeaders };
    if (errorType) headers["x-amzn-errortype"] = errorType;
    if (body === undefined) {
      res.writeHead(statusCode, headers).end();
      return;
    }
    const text = JSON.stringify(body);
    headers["content-type"] = "application/json";
    headers["content-length"] = String(Buffer.byteLength(text));
    res.writeHead(statusCode, headers).end(text);
  };
  const gone = (res: ServerResponse) => sendJson(res, 410, { message: "Gone" }, "GoneException");

  const readBody = (req: IncomingMessage, limit: number): Promise<Buffer | "too-large"> =>
    new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let tooLarge = false;
      req.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > limit) tooLarge = true;
        else chunks.push(chunk);
      });
      req.on("end", () => resolve(tooLarge ? "too-large" : Buffer.concat(chunks)));
      req.on("error", reject);
    });

  const handleManagement = async (req: IncomingMessage, res: ServerResponse, id: string) => {
    const conn = open.get(id);
    switch (req.method) {
      case "POST": {
        const body = await readBody(req, maxFrameBytes);
        if (body === "too-large") {
          sendJson(res, 413, { message: "Request entity too large" }, "PayloadTooLargeException");
          return;
        }
        const target = open.get(id);
        if (!target || target.ws.readyState !== target.ws.OPEN) {
          gone(res);
          return;
        }
        target.ws.send(body.toString("utf8"), (error) => {
          if (error) gone(res);
          else sendJson(res, 200, undefined);
        });
        return;
      }
      case "GET": {
        req.resume();
        if (!conn) {
          gone(res);
          return;
        }
        const identity: { sourceIp: string; userAgent?: string } = { sourceIp: conn.sourceIp };
        if (conn.userAgent !== undefined) identity.userAgent = conn.userAgent;
        sendJson(res, 200, {
          connectedAt: new Date(conn.connectedAt).toISOString(),
          identity,
          lastActiveAt: new Date(conn.lastActiveAt).toISOString(),
        });
        return;
      }
      case "DELETE": {
        req.resume();
        if (!conn) {
          gone(res);
          return;
        }
        closeSocket(conn, 1000, "");
        sendJson(res, 204, undefined);
        return;
      }
      default:
        req.resume();
        sendJson(res, 405, { message: `Method ${req.method} not allowed` }, undefined, {
          allow: "GET, POST, DELETE",
        });
    }
  };

  return {
    handleManagementRequest(req, res) {
      const pathname = (req.url ?? "").split("?")[0] ?? "";
      const match = CONNECTIONS_PATH.exec(pathname);
      if (!match) return false;
      if (!isLoopback(req.socket.remoteAddress)) {
        req.resume();
        sendJson(res, 403, { message: "Forbidden" }, "ForbiddenException");
        return true;
      }
      let id: string;
      try {
        id = decodeURIComponent(match[2] ?? "");
      } catch {
        req.resume();
        gone(res);
        return true;
      }
      handleManagement(req, res, id).catch((error: unknown) => {
        reportError(error, { routeKey: "@connections", connectionId: id });
        if (!res.headersSent) sendJson(res, 500, { message: "Internal server error" }, "InternalServerError");
        else res.destroy();
      });
      return true;
    },

    async close() {
      closed = true;
      server.off("upgrade", onUpgrade);
      for (const conn of [...open.values()]) closeSocket(conn, 1001, "Going away");
      // Sockets that were closing already (DELETE, idle) but have not reported "close" yet.
      for (const { ws } of live.values()) {
        if (ws && ws.readyState !== ws.CLOSED) setTimeout(() => ws.terminate(), CLOSE_GRACE_MS).unref();
      }
      while (pending.size > 0 || live.size > 0) {
        if (pending.size > 0) await Promise.allSettled([...pending]);
        else await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },

    connectionCount() {
      return open.size;
    },
  };
}
