/**
 * The one registry of connections: every connection whose `$connect` said yes is in it, from
 * then until its `$disconnect` has been fired, which is therefore fired exactly once.
 */
import type { RawData, WebSocket } from "ws";
import { type ConnectionInfo, type EventBuilder, resultOf, type WsHandler } from "./events.ts";

/** How long a socket we close may take to answer the close handshake before it is cut. */
export const CLOSE_GRACE_MS = 1000;

export type ErrorReporter = (error: unknown, context: { routeKey: string; connectionId: string }) => void;

/**
 * `connecting`: `$connect` said yes, the handshake is not done; `open`: addressable through
 * `@connections`; `closing`: we (or an error) are closing it and it is no longer addressable.
 */
export interface Connection extends ConnectionInfo {
  state: "connecting" | "open" | "closing";
  ws?: WebSocket;
  lastActiveAt: number;
  timers: NodeJS.Timeout[];
  /** Serialises `$default` invocations so a client's messages are handled in order. */
  queue: Promise<void>;
}

export interface ConnectionsOptions {
  events: EventBuilder;
  handlers: { message: WsHandler; disconnect: WsHandler };
  idleTimeoutMs: number;
  maxConnectionMs: number;
  now: () => number;
  reportError: ErrorReporter;
}

export const createConnections = (options: ConnectionsOptions) => {
  const { events, handlers, now, reportError } = options;
  const registry = new Map<string, Connection>();
  /** Work closeAll() must wait for: upgrades in progress and `$disconnect` invocations. */
  const pending = new Set<Promise<unknown>>();

  const track = <T>(p: Promise<T>): Promise<T> => {
    pending.add(p);
    void p.finally(() => pending.delete(p)).catch(() => {});
    return p;
  };

  const disconnect = (id: string, code: number, reason: string): Promise<void> => {
    const conn = registry.get(id);
    if (!conn) return Promise.resolve();
    registry.delete(id);
    for (const timer of conn.timers) clearTimeout(timer);
    return track(
      handlers.disconnect(events.disconnect(conn, code, reason)).then(
        () => {},
        (error: unknown) => reportError(error, { routeKey: "$disconnect", connectionId: id }),
      ),
    );
  };

  /** Closes a socket from our side and cuts it if the peer does not finish the close handshake. */
  const close = (conn: Connection, code: number, reason: string) => {
    conn.state = "closing";
    for (const timer of conn.timers) clearTimeout(timer);
    const ws = conn.ws;
    if (!ws || ws.readyState === ws.CLOSED) return;
    ws.close(code, reason);
    setTimeout(() => ws.terminate(), CLOSE_GRACE_MS).unref();
  };

  const onMessage = (conn: Connection, ws: WebSocket, data: RawData, isBinary: boolean) => {
    conn.lastActiveAt = now();
    if (conn.state === "open") conn.timers[0]?.refresh(); // the idle timer; not once we are closing
    const buffer = Buffer.isBuffer(data)
      ? data
      : Array.isArray(data)
        ? Buffer.concat(data)
        : Buffer.from(data as ArrayBuffer);
    const event = events.message(conn, buffer, isBinary);
    conn.queue = conn.queue.then(async () => {
      let reply: string | Buffer | undefined;
      try {
        const result = resultOf(await handlers.message(event));
        if (result.body !== undefined && result.body !== "") {
          reply = result.isBase64Encoded ? Buffer.from(result.body, "base64") : result.body;
        }
      } catch (error) {
        reportError(error, { routeKey: "$default", connectionId: conn.id });
        reply = JSON.stringify({
          message: "Internal server error",
          connectionId: conn.id,
          requestId: event.requestContext.requestId,
        });
      }
      if (reply !== undefined && ws.readyState === ws.OPEN)
        ws.send(reply, { binary: Buffer.isBuffer(reply) });
    });
  };

  /** An open connection `@connections` may address; undefined when unknown, closing or gone. */
  const addressable = (id: string): Connection | undefined => {
    const conn = registry.get(id);
    return conn?.state === "open" ? conn : undefined;
  };

  return {
    track,
    /** `$connect` said yes: from here on `$disconnect` is owed. */
    register(info: ConnectionInfo): Connection {
      const conn: Connection = {
        ...info,
        state: "connecting",
        lastActiveAt: info.connectedAt,
        timers: [],
        queue: Promise.resolve(),
      };
      registry.set(conn.id, conn);
      return conn;
    },
    /** The handshake is done: the connection is addressable and its messages reach `$default`. */
    accept(conn: Connection, ws: WebSocket) {
      conn.ws = ws;
      conn.state = "open";
      const goingAway = () => close(conn, 1001, "Going away");
      const idle = setTimeout(goingAway, options.idleTimeoutMs);
      const lifetime = setTimeout(goingAway, options.maxConnectionMs);
      idle.unref();
      lifetime.unref();
      conn.timers.push(idle, lifetime);
      ws.on("message", (data, isBinary) => onMessage(conn, ws, data, isBinary));
      ws.on("error", (error: Error & { code?: string }) => {
        // ws has already sent the close frame (1009 for an oversized message): just stop addressing it.
        conn.state = "closing";
        if (error.code !== "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH") {
          reportError(error, { routeKey: "$default", connectionId: conn.id });
        }
      });
      ws.on("close", (code, reason) => void disconnect(conn.id, code, reason.toString("utf8")));
    },
    addressable,
    /** Sends to a connection as `@connections` POST does: "gone" unless it is open and the send succeeds. */
    post(id: string, data: string): Promise<"sent" | "gone"> {
      const ws = addressable(id)?.ws;
      if (!ws || ws.readyState !== ws.OPEN) return Promise.resolve("gone");
      return new Promise((resolve) => ws.send(data, (error) => resolve(error ? "gone" : "sent")));
    },
    close,
    disconnect,
    openCount: () => [...registry.values()].filter((c) => c.state === "open").length,
    /** Closes every socket and resolves once each has fired its `$disconnect`. */
    async closeAll() {
      for (const conn of registry.values()) {
        if (conn.state === "open") close(conn, 1001, "Going away");
        // Sockets that were closing already (DELETE, idle) but have not reported "close" yet.
        else if (conn.ws && conn.ws.readyState !== conn.ws.CLOSED) {
          const ws = conn.ws;
          setTimeout(() => ws.terminate(), CLOSE_GRACE_MS).unref();
        }
      }
      while (pending.size > 0 || registry.size > 0) {
        if (pending.size > 0) await Promise.allSettled([...pending]);
        else await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
  };
};

export type Connections = ReturnType<typeof createConnections>;
