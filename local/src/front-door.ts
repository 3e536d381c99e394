import { createServer, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { StartupError } from "./startup-error.ts";

/** A port that cannot be listened on, said so the person at the terminal can pick another. */
const listenProblem = (err: NodeJS.ErrnoException, port: number, host: string) => {
  const where = `port ${port} on ${host}`;
  if (err.code === "EADDRINUSE")
    return new StartupError(
      `Cannot listen on ${where}: it is in use (another AgentVine?). Stop what holds it, or start with --port <another port> (0 picks a free one).`,
    );
  if (err.code === "EACCES")
    return new StartupError(
      `Cannot listen on ${where}: not allowed (ports below 1024 need privileges). Use --port 8787 or above.`,
    );
  if (err.code === "EADDRNOTAVAIL" || err.code === "ENOTFOUND")
    return new StartupError(
      `Cannot listen on ${where}: no such address on this machine. Use --host 127.0.0.1 or 0.0.0.0.`,
    );
  return null;
};

/** What a client should wait before asking again while the runtime starts. */
export const STARTING_RETRY_AFTER_S = 1;

export interface FrontDoor {
  server: Server;
  port: number;
  origin: string;
  /** From now on requests go to `listener`: everything the app needs answers. */
  open(listener: RequestListener): void;
  /** Idempotent; closes open connections too. */
  close(): Promise<void>;
}

/**
 * The runtime's one port, open from the first moment of start-up. Until open() every request
 * gets a 503 with Retry-After in the API's error shape, and /healthz names the parts still being
 * waited for, so nothing that reaches the port hangs (a port with no listener yet never answers).
 */
export const openFrontDoor = async (
  port: number,
  host: string,
  waiting: () => string[],
): Promise<FrontDoor> => {
  const starting: RequestListener = (req, res) => {
    const parts = waiting();
    const health = (req.url ?? "").split("?")[0] === "/healthz";
    const body = health
      ? { ok: false, waiting: parts }
      : {
          error: {
            code: "starting",
            message: `AgentVine is starting (waiting for ${parts.join(", ")}); retry in ${STARTING_RETRY_AFTER_S} s`,
            details: { waiting: parts },
          },
        };
    // The request body is not read: node discards it after end(), keeping the connection usable.
    res
      .writeHead(503, {
        "content-type": "application/json",
        "retry-after": String(STARTING_RETRY_AFTER_S),
        "cache-control": "no-store",
      })
      .end(JSON.stringify(body));
  };
  const refuseUpgrade = (_req: unknown, socket: Duplex) => {
    socket.on("error", () => {});
    socket.end(
      `HTTP/1.1 503 Service Unavailable\r\nRetry-After: ${STARTING_RETRY_AFTER_S}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
    );
  };

  let listener = starting;
  const server = createServer((req, res) => listener(req, res));
  server.on("upgrade", refuseUpgrade);
  await new Promise<void>((ok, fail) => server.once("error", fail).listen(port, host, ok)).catch((err) => {
    throw listenProblem(err, port, host) ?? err;
  });
  const bound = (server.address() as AddressInfo).port;

  let closing: Promise<void> | undefined;
  return {
    server,
    port: bound,
    origin: `http://${host}:${bound}`,
    open(ready) {
      listener = ready;
      // The WebSocket gateway takes upgrades from here on.
      server.off("upgrade", refuseUpgrade);
    },
    close() {
      closing ??= new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      });
      return closing;
    },
  };
};
