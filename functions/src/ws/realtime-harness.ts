/**
 * Realtime end to end on real parts: the REST app and the local API Gateway stand-in on one
 * http server, pushes through the real @aws-sdk/client-apigatewaymanagementapi to the
 * gateway's @connections endpoint, and real `ws` clients holding tickets from POST /ws-ticket.
 */
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { apiGatewayPush } from "@agentvine/core/adapters/api-gateway-push";
import { ApiGatewayManagementApiClient } from "@aws-sdk/client-apigatewaymanagementapi";
import { getRequestListener } from "@hono/node-server";
import { afterAll, beforeAll, expect } from "vitest";
import { WebSocket } from "ws";
import { apiHarness, WS_PATH } from "../../../test/api.ts";
import { attachWsGateway } from "../../../test/runtime.ts";
import { wsHandlers } from "./handlers.ts";

export interface Event {
  type: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read whichever event's fields they expect
  data: any;
}

export interface Client {
  ws: WebSocket;
  events: Event[];
  /** The first event (received so far or later) that matches. */
  waitFor(match: (e: Event) => boolean, what: string): Promise<Event>;
  /** Resolves once every message sent to this socket before now has arrived (a ping/pong barrier). */
  sync(): Promise<void>;
}

/**
 * The REST app and the local WebSocket gateway on one real HTTP server, with the real
 * management client as the push port: what the realtime tests talk to.
 */
export const realtimeHarness = async (name: string) => {
  const sockets: WebSocket[] = [];
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const management = new ApiGatewayManagementApiClient({
    endpoint: origin,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  const h = await apiHarness(name, { push: apiGatewayPush(management) });
  const gateway = attachWsGateway(server, { path: WS_PATH, handlers: wsHandlers(h.ctx), onError: () => {} });
  const listener = getRequestListener(h.app.fetch);
  server.on("request", (req, res) => {
    if (!gateway.handleManagementRequest(req, res)) void listener(req, res);
  });

  const close = async () => {
    for (const ws of sockets) ws.terminate();
    await gateway.close();
    management.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };

  /** REST over the real http server (so ticket URLs carry its host and port). */
  const rest = async (method: string, path: string, token?: string, body?: unknown) => {
    const res = await fetch(`${origin}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };

  const ticketUrl = async (token: string): Promise<string> => {
    const res = await rest("POST", "/api/v1/ws-ticket", token);
    expect(res.status).toBe(201);
    expect(res.body.url.startsWith(`ws://127.0.0.1:`)).toBe(true);
    return res.body.url;
  };

  const connect = async (url: string): Promise<Client> => {
    const ws = new WebSocket(url);
    sockets.push(ws);
    const events: Event[] = [];
    const waiters: { match: (e: Event) => boolean; resolve: (e: Event) => void }[] = [];
    ws.on("message", (data) => {
      const event = JSON.parse(String(data)) as Event;
      events.push(event);
      for (const w of [...waiters]) {
        if (w.match(event)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(event);
        }
      }
    });
    await once(ws, "open");
    const waitFor: Client["waitFor"] = (match, what) => {
      const seen = events.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no ${what}; got ${JSON.stringify(events.map((e) => e.type))}`)),
          10_000,
        );
        waiters.push({
          match,
          resolve: (e) => {
            clearTimeout(timer);
            resolve(e);
          },
        });
      });
    };
    let pings = 0;
    const sync = async () => {
      const count = ++pings;
      const pongsBefore = events.filter((e) => e.type === "pong").length;
      ws.send(JSON.stringify({ type: "ping" }));
      await waitFor(() => events.filter((e) => e.type === "pong").length >= pongsBefore + 1, `pong ${count}`);
    };
    return { ws, events, waitFor, sync };
  };

  /** Opens a socket and expects the upgrade to be refused; returns the HTTP answer. */
  const refused = (url: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.on("unexpected-response", (req, res) => {
        let body = "";
        res.on("data", (chunk) => {
          body += chunk;
        });
        res.on("end", () => {
          req.destroy();
          resolve({ status: res.statusCode ?? 0, body });
        });
      });
      ws.on("open", () => {
        ws.terminate();
        reject(new Error("the socket opened"));
      });
      ws.on("error", () => {});
    });

  const connectionIds = async () =>
    (await h.ctx.db.connection.query.all({}).go({ pages: "all" })).data.map((c) => c.connectionId);

  return { h, origin, rest, ticketUrl, connect, refused, connectionIds, close };
};
export type RealtimeHarness = Awaited<ReturnType<typeof realtimeHarness>>;

/** The harness of one describe block: started in its `beforeAll`, closed in its `afterAll`. */
export const useRealtimeHarness = (name: string): RealtimeHarness => {
  const rt = {} as RealtimeHarness;
  beforeAll(async () => {
    Object.assign(rt, await realtimeHarness(name));
  });
  afterAll(() => rt.close?.());
  return rt;
};
