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
 *
 * events.ts builds the events, connections.ts keeps the one registry of connections,
 * upgrade.ts runs `$connect`, management.ts serves `@connections`.
 */
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { WebSocketServer } from "ws";
import { createConnections, type ErrorReporter } from "./connections.ts";
import { eventBuilder, type WsHandler } from "./events.ts";
import { managementEndpoint } from "./management.ts";
import { upgradeListener } from "./upgrade.ts";

export type { WsEvent, WsHandler, WsRequestContext } from "./events.ts";
export { isLoopback } from "./management.ts";
export { newConnectionId } from "./upgrade.ts";

/** API Gateway's limits (https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html). */
export const DEFAULT_MAX_FRAME_BYTES = 128 * 1024;
export const DEFAULT_IDLE_TIMEOUT_MS = 10 * 60 * 1000;
export const DEFAULT_MAX_CONNECTION_MS = 2 * 60 * 60 * 1000;

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
  onError?: ErrorReporter;
}

export interface WsGateway {
  /** Node request listener for `[/prefix]/@connections/{id}`; returns true if it handled the request. */
  handleManagementRequest(req: IncomingMessage, res: ServerResponse): boolean;
  /** Closes every socket (firing `$disconnect` for each) and stops accepting connections. */
  close(): Promise<void>;
  /** Open connections. */
  connectionCount(): number;
  /**
   * Sends to a connection directly, as `@connections` POST does ("gone" when it is not open),
   * for a process that serves the gateway itself: no HTTP round trip through its own port.
   */
  post(connectionId: string, data: string): Promise<"sent" | "gone">;
}

export function attachWsGateway(server: Server, options: WsGatewayOptions): WsGateway {
  const maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  const now = () => (options.clock ? options.clock.now() : Date.now());
  const reportError: ErrorReporter =
    options.onError ??
    ((error, context) => {
      console.error(`[ws-gateway] ${context.routeKey} handler failed for ${context.connectionId}:`, error);
    });
  const events = eventBuilder(options.stage ?? "local", now);
  const connections = createConnections({
    events,
    handlers: options.handlers,
    idleTimeoutMs: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
    maxConnectionMs: options.maxConnectionMs ?? DEFAULT_MAX_CONNECTION_MS,
    now,
    reportError,
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: maxFrameBytes, perMessageDeflate: false });
  let closed = false;
  const onUpgrade = upgradeListener({
    server,
    path: options.path,
    wss,
    connect: options.handlers.connect,
    events,
    connections,
    reportError,
    closed: () => closed,
  });
  server.on("upgrade", onUpgrade);

  return {
    handleManagementRequest: managementEndpoint({ connections, maxFrameBytes, reportError }),
    async close() {
      closed = true;
      server.off("upgrade", onUpgrade);
      await connections.closeAll();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
    connectionCount: () => connections.openCount(),
    post: connections.post,
  };
}
