/**
 * A gateway on a real http server with recording handlers, real `ws` clients and the real
 * management API client: the shared set-up of the gateway's tests.
 */
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ApiGatewayManagementApiClient } from "@aws-sdk/client-apigatewaymanagementapi";
import { WebSocket } from "ws";
import { attachWsGateway, type WsEvent, type WsGateway, type WsGatewayOptions } from "./index.ts";

export const PATH = "/api/v1/chat/ws";

export interface Harness {
  port: number;
  gateway: WsGateway;
  events: WsEvent[];
  managementRequests: { method: string; url: string; headers: IncomingMessage["headers"] }[];
  client: ApiGatewayManagementApiClient;
  url(query?: string): string;
  byRoute(routeKey: string): WsEvent[];
}

let cleanups: (() => Promise<void>)[] = [];

/** Run after each test: closes what the test opened, newest first. */
export async function cleanUp(): Promise<void> {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
}

export async function startHarness(
  opts: Partial<Omit<WsGatewayOptions, "handlers">> & {
    connect?: (e: WsEvent) => { statusCode: number; body?: string };
    message?: (e: WsEvent) => { statusCode: number; body?: string };
    endpointPrefix?: string;
  } = {},
): Promise<Harness> {
  const events: WsEvent[] = [];
  const managementRequests: Harness["managementRequests"] = [];
  const server: Server = createServer((req, res) => {
    managementRequests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers });
    if (gateway.handleManagementRequest(req, res)) return;
    res.writeHead(404).end();
  });
  const { connect, message, endpointPrefix, ...rest } = opts;
  const gateway: WsGateway = attachWsGateway(server, {
    path: PATH,
    onError: () => {},
    ...rest,
    handlers: {
      connect: async (e) => {
        events.push(e);
        return connect ? connect(e) : { statusCode: 200 };
      },
      message: async (e) => {
        events.push(e);
        return message ? message(e) : { statusCode: 200 };
      },
      disconnect: async (e) => {
        events.push(e);
        return { statusCode: 200 };
      },
    },
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const port = (server.address() as AddressInfo).port;
  const client = new ApiGatewayManagementApiClient({
    endpoint: `http://127.0.0.1:${port}${endpointPrefix ?? ""}`,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  cleanups.push(async () => {
    client.destroy();
    await gateway.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return {
    port,
    gateway,
    events,
    managementRequests,
    client,
    url: (query = "") => `ws://127.0.0.1:${port}${PATH}${query}`,
    byRoute: (routeKey) => events.filter((e) => e.requestContext.routeKey === routeKey),
  };
}

/** Opens a client socket and returns it with the connection id the gateway gave it. */
export async function connectClient(
  h: Harness,
  query = "?ticket=t1",
): Promise<{ ws: WebSocket; connectionId: string }> {
  const before = h.byRoute("$connect").length;
  const ws = new WebSocket(h.url(query));
  cleanups.push(async () => {
    ws.terminate();
  });
  await once(ws, "open");
  const connect = h.byRoute("$connect")[before];
  if (!connect) throw new Error("no $connect event");
  return { ws, connectionId: connect.requestContext.connectionId };
}

export function nextMessage(ws: WebSocket): Promise<string> {
  return new Promise((resolve) => ws.once("message", (data) => resolve(String(data))));
}

export function closed(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) =>
    ws.once("close", (code, reason) => resolve({ code, reason: String(reason) })),
  );
}

export async function waitFor(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
