/**
 * Realtime end to end on real parts: the REST app and the local API Gateway stand-in on one
 * http server, pushes through the real @aws-sdk/client-apigatewaymanagementapi to the
 * gateway's @connections endpoint, and real `ws` clients holding tickets from POST /ws-ticket.
 */
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { apiGatewayPush } from "@agentvine/core/adapters/api-gateway-push";
import { epochSeconds, iso } from "@agentvine/core/clock";
import { ApiGatewayManagementApiClient } from "@aws-sdk/client-apigatewaymanagementapi";
import { getRequestListener } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { WebSocket } from "ws";
import { type ApiHarness, apiHarness, WS_PATH } from "../../../test/api.ts";
import { attachWsGateway, type WsGateway } from "../../../test/runtime.ts";
import { wsHandlers } from "./handlers.ts";

interface Event {
  type: string;
  data: any;
}

interface Client {
  ws: WebSocket;
  events: Event[];
  /** The first event (received so far or later) that matches. */
  waitFor(match: (e: Event) => boolean, what: string): Promise<Event>;
  /** Resolves once every message sent to this socket before now has arrived (a ping/pong barrier). */
  sync(): Promise<void>;
}

describe("realtime over the local WebSocket gateway", () => {
  let server: Server;
  let gateway: WsGateway;
  let management: ApiGatewayManagementApiClient;
  let h: ApiHarness;
  let origin: string;
  const sockets: WebSocket[] = [];

  beforeAll(async () => {
    server = createServer();
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    management = new ApiGatewayManagementApiClient({
      endpoint: origin,
      region: "us-east-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    h = await apiHarness("realtime", { push: apiGatewayPush(management) });
    gateway = attachWsGateway(server, { path: WS_PATH, handlers: wsHandlers(h.ctx), onError: () => {} });
    const rest = getRequestListener(h.app.fetch);
    server.on("request", (req, res) => {
      if (!gateway.handleManagementRequest(req, res)) void rest(req, res);
    });
  });

  afterAll(async () => {
    for (const ws of sockets) ws.terminate();
    await gateway?.close();
    management?.destroy();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });

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

  it("refuses a socket without a ticket, or with an unknown one, with 401", async () => {
    const before = await connectionIds();
    const none = await refused(`${origin.replace("http", "ws")}${WS_PATH}`);
    expect(none.status).toBe(401);
    expect(JSON.parse(none.body).error.code).toBe("auth.invalid_ticket");
    const bogus = await refused(`${origin.replace("http", "ws")}${WS_PATH}?ticket=avs_made-up`);
    expect(bogus.status).toBe(401);
    expect(await connectionIds()).toEqual(before);
  });

  it("a ticket opens one socket, once", async () => {
    const url = await ticketUrl(h.tokens.viewer);
    const client = await connect(url);
    expect(client.ws.readyState).toBe(WebSocket.OPEN);
    const again = await refused(url);
    expect(again.status).toBe(401);
    expect(JSON.parse(again.body).error.code).toBe("auth.invalid_ticket");
    const rows = (await h.ctx.db.connection.query.all({}).go({ pages: "all" })).data;
    expect(rows.filter((c) => c.role === "viewer")).toHaveLength(1);
  });

  it("an expired ticket is refused", async () => {
    const url = await ticketUrl(h.tokens.operator);
    h.ctx.clock.advance(h.ctx.config.wsTicketTtlMs + 1000);
    expect((await refused(url)).status).toBe(401);
  });

  it("answers ping with pong", async () => {
    const client = await connect(await ticketUrl(h.tokens.viewer));
    client.ws.send(JSON.stringify({ type: "ping" }));
    const pong = await client.waitFor((e) => e.type === "pong", "pong");
    expect(pong).toEqual({ type: "pong", data: {} });
    // Anything else gets no answer and does not close the socket.
    client.ws.send("not json");
    client.ws.send(JSON.stringify({ type: "hello" }));
    await client.sync();
    expect(client.events.map((e) => e.type)).toEqual(["pong", "pong"]);
    expect(client.ws.readyState).toBe(WebSocket.OPEN);
  });

  it("a task created over REST reaches every person's socket as task.updated, not workers'", async () => {
    const viewer = await connect(await ticketUrl(h.tokens.viewer));
    const operator = await connect(await ticketUrl(h.tokens.operator));
    const w = await h.registerWorker("listener");
    const worker = await connect(await ticketUrl(w.token));

    const created = await rest("POST", "/api/v1/tasks", h.tokens.operator, {
      title: "Fan out",
      priority: "high",
    });
    expect(created.status).toBe(201);
    const isIt = (e: Event) => e.type === "task.updated" && e.data.id === created.body.id;
    for (const client of [viewer, operator]) {
      const event = await client.waitFor(isIt, "task.updated");
      expect(event.data).toMatchObject({ title: "Fan out", status: "queued", priority: "high" });
      await client.waitFor(
        (e) => e.type === "activity.created" && e.data.taskId === created.body.id,
        "activity.created",
      );
    }
    await worker.sync();
    expect(worker.events.filter(isIt)).toEqual([]);
  });

  it("a worker's question reaches people as chat.message; the answer reaches the worker's socket", async () => {
    const human = await connect(await ticketUrl(h.tokens.operator));
    const w = await h.registerWorker("asker");
    const bystander = await h.registerWorker("bystander");
    const workerSocket = await connect(await ticketUrl(w.token));
    const bystanderSocket = await connect(await ticketUrl(bystander.token));
    const { body: task } = await rest("POST", "/api/v1/tasks", h.tokens.operator, { title: "Ask me" });
    const claim = await rest("POST", "/api/v1/queue/claim", w.token, {
      workerId: w.worker.id,
      workOrderId: task.currentWorkOrderId,
    });
    expect(claim.status).toBe(200);

    const ask = await rest("POST", "/api/v1/chat/messages", w.token, {
      conversationId: task.id,
      message: "Tabs or spaces?",
      messageType: "request",
    });
    expect(ask.status).toBe(201);
    const question = await human.waitFor(
      (e) => e.type === "chat.message" && e.data.id === ask.body.id,
      "the question",
    );
    expect(question.data).toMatchObject({
      messageType: "request",
      senderType: "worker",
      message: "Tabs or spaces?",
    });
    await human.waitFor(
      (e) => e.type === "worker.updated" && e.data.id === w.worker.id && e.data.status === "waiting",
      "worker waiting",
    );

    const answer = await rest("POST", "/api/v1/chat/messages", h.tokens.operator, {
      conversationId: task.id,
      message: "Spaces",
      messageType: "response",
      parentMessageId: ask.body.id,
    });
    expect(answer.status).toBe(201);
    const received = await workerSocket.waitFor(
      (e) => e.type === "chat.message" && e.data.id === answer.body.id,
      "the answer on the worker's socket",
    );
    expect(received.data).toMatchObject({
      messageType: "response",
      parentMessageId: ask.body.id,
      message: "Spaces",
      senderType: "human",
    });
    await human.waitFor((e) => e.type === "chat.message" && e.data.id === answer.body.id, "the answer");
    // Only the asking worker hears the answer.
    await bystanderSocket.sync();
    expect(bystanderSocket.events.filter((e) => e.type === "chat.message")).toEqual([]);
  });

  it("a terminated session is pushed to its worker", async () => {
    const w = await h.registerWorker("session-holder");
    const socket = await connect(await ticketUrl(w.token));
    const { body: session } = await rest("POST", "/api/v1/sessions", w.token, {
      sessionId: `agent-${w.worker.id}`,
      workerId: w.worker.id,
    });
    await rest("DELETE", `/api/v1/sessions/${session.id}`, h.tokens.operator, { reason: "Enough" });
    const event = await socket.waitFor(
      (e) => e.type === "session.updated" && e.data.id === session.id && e.data.status === "terminated",
      "session.updated terminated",
    );
    expect(event.data.terminationReason).toBe("Enough");
  });

  it("a connection whose socket is gone (410) is deleted on the next publish", async () => {
    const live = await connect(await ticketUrl(h.tokens.viewer));
    const ghost = "ghostConnId=";
    const now = h.ctx.clock.now();
    await h.ctx.db.connection
      .put({
        connectionId: ghost,
        role: "viewer",
        principalId: "someone",
        connectedAt: iso(now),
        expiresAt: epochSeconds(now + 3_600_000),
      })
      .go();
    expect(await connectionIds()).toContain(ghost);

    const created = await rest("POST", "/api/v1/tasks", h.tokens.operator, { title: "Wake the ghost" });
    expect(created.status).toBe(201);
    // The publish finished before the REST answer: the ghost is gone, the live socket got it.
    expect((await h.ctx.db.connection.get({ connectionId: ghost }).go()).data).toBeNull();
    await live.waitFor((e) => e.type === "task.updated" && e.data.id === created.body.id, "task.updated");
    expect(await connectionIds()).not.toContain(ghost);
  });

  it("closing a socket deletes its connection row ($disconnect)", async () => {
    const before = new Set(await connectionIds());
    const client = await connect(await ticketUrl(h.tokens.viewer));
    const added = (await connectionIds()).filter((id) => !before.has(id));
    expect(added).toHaveLength(1);
    client.ws.close();
    await vi.waitFor(async () => expect(await connectionIds()).not.toContain(added[0]), {
      timeout: 10_000,
      interval: 50,
    });
  });
});
