import { once } from "node:events";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  ApiGatewayManagementApiClient,
  DeleteConnectionCommand,
  GetConnectionCommand,
  PostToConnectionCommand,
} from "@aws-sdk/client-apigatewaymanagementapi";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import {
  attachWsGateway,
  isLoopback,
  newConnectionId,
  type WsEvent,
  type WsGateway,
  type WsGatewayOptions,
} from "./ws-gateway.ts";

const PATH = "/api/v1/chat/ws";

interface Harness {
  port: number;
  gateway: WsGateway;
  events: WsEvent[];
  managementRequests: { method: string; url: string; headers: IncomingMessage["headers"] }[];
  client: ApiGatewayManagementApiClient;
  url(query?: string): string;
  byRoute(routeKey: string): WsEvent[];
}

let cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

async function startHarness(
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
async function connectClient(
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

function nextMessage(ws: WebSocket): Promise<string> {
  return new Promise((resolve) => ws.once("message", (data) => resolve(String(data))));
}

function closed(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) =>
    ws.once("close", (code, reason) => resolve({ code, reason: String(reason) })),
  );
}

async function waitFor(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("isLoopback", () => {
  it("accepts loopback addresses only", () => {
    for (const a of ["127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1", "0:0:0:0:0:0:0:1", "[::1]"]) {
      expect(isLoopback(a), a).toBe(true);
    }
    for (const a of [
      "10.0.0.1",
      "192.168.1.2",
      "::ffff:10.0.0.1",
      "fe80::1",
      "1.127.0.0",
      "128.0.0.1",
      "",
      undefined,
    ]) {
      expect(isLoopback(a), String(a)).toBe(false);
    }
  });
});

describe("newConnectionId", () => {
  it("looks like an API Gateway connection id", () => {
    const id = newConnectionId();
    expect(id).toMatch(/^[A-Za-z0-9_-]{15}=$/);
    expect(newConnectionId()).not.toBe(id);
  });
});

describe("local WebSocket gateway", () => {
  it("gives $connect an API Gateway-shaped event with the ticket and a connection id", async () => {
    const h = await startHarness({ stage: "test" });
    const { connectionId } = await connectClient(h, "?ticket=abc123&x=1&x=2");
    const [event] = h.byRoute("$connect");
    expect(event).toBeDefined();
    expect(event?.queryStringParameters).toEqual({ ticket: "abc123", x: "2" });
    expect(event?.multiValueQueryStringParameters).toEqual({ ticket: ["abc123"], x: ["1", "2"] });
    expect(event?.isBase64Encoded).toBe(false);
    expect(event?.requestContext).toMatchObject({
      routeKey: "$connect",
      eventType: "CONNECT",
      connectionId,
      stage: "test",
      apiId: "local",
      domainName: `127.0.0.1:${h.port}`,
      identity: { sourceIp: "127.0.0.1" },
    });
    expect(typeof event?.requestContext.connectedAt).toBe("number");
    expect(event?.requestContext.requestId).toBeTruthy();
    expect(event?.headers?.Host).toBe(`127.0.0.1:${h.port}`);
    expect(connectionId).toMatch(/^[A-Za-z0-9_-]{15}=$/);
    expect(h.gateway.connectionCount()).toBe(1);
  });

  it("answers the upgrade with $connect's status when it refuses, and fires no $disconnect", async () => {
    const h = await startHarness({
      connect: (e) =>
        e.queryStringParameters?.ticket === "good"
          ? { statusCode: 200 }
          : { statusCode: 401, body: JSON.stringify({ error: { code: "unauthorized" } }) },
    });
    const ws = new WebSocket(h.url("?ticket=bad"));
    const [, res] = (await once(ws, "unexpected-response")) as [unknown, IncomingMessage];
    expect(res.statusCode).toBe(401);
    let body = "";
    for await (const chunk of res) body += String(chunk);
    expect(JSON.parse(body)).toEqual({ error: { code: "unauthorized" } });
    ws.on("error", () => {});
    ws.terminate();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(h.byRoute("$connect")).toHaveLength(1);
    expect(h.byRoute("$disconnect")).toHaveLength(0);
    expect(h.gateway.connectionCount()).toBe(0);

    // Without an unexpected-response listener, ws reports the status in its error.
    const ws2 = new WebSocket(h.url("?ticket=bad"));
    const [error] = (await once(ws2, "error").catch((e: unknown) => [e])) as [Error];
    expect(error.message).toContain("401");
    ws2.terminate();
  });

  it("refuses upgrades on other paths with 404", async () => {
    const h = await startHarness();
    const ws = new WebSocket(`ws://127.0.0.1:${h.port}/elsewhere`);
    const [, res] = (await once(ws, "unexpected-response")) as [unknown, IncomingMessage];
    expect(res.statusCode).toBe(404);
    ws.on("error", () => {});
    ws.terminate();
    expect(h.byRoute("$connect")).toHaveLength(0);
  });

  it("PostToConnection delivers to the right socket only", async () => {
    const h = await startHarness();
    const a = await connectClient(h);
    const b = await connectClient(h);
    expect(a.connectionId).not.toBe(b.connectionId);
    const received: string[] = [];
    b.ws.on("message", (data) => received.push(String(data)));
    const incoming = nextMessage(a.ws);
    const payload = JSON.stringify({ type: "chat.message", data: { message: "héllo" } });
    await h.client.send(new PostToConnectionCommand({ ConnectionId: a.connectionId, Data: payload }));
    expect(await incoming).toBe(payload);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(received).toEqual([]);

    // What the SDK sent: a URL-encoded id under /@connections/, the raw body, a SigV4 signature.
    const post = h.managementRequests.find((r) => r.method === "POST");
    expect(post?.url).toBe(`/@connections/${encodeURIComponent(a.connectionId)}`);
    expect(post?.headers["content-type"]).toBe("application/octet-stream");
    expect(post?.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=local\//);
  });

  it("accepts a stage-like path prefix on the management endpoint", async () => {
    const h = await startHarness({ endpointPrefix: "/local" });
    const a = await connectClient(h);
    const incoming = nextMessage(a.ws);
    await h.client.send(new PostToConnectionCommand({ ConnectionId: a.connectionId, Data: "hi" }));
    expect(await incoming).toBe("hi");
    expect(h.managementRequests.at(-1)?.url).toBe(
      `/local/@connections/${encodeURIComponent(a.connectionId)}`,
    );
  });

  it("GetConnection returns connectedAt, identity and lastActiveAt", async () => {
    const h = await startHarness();
    const before = Date.now();
    const a = await connectClient(h);
    const out = await h.client.send(new GetConnectionCommand({ ConnectionId: a.connectionId }));
    expect(out.ConnectedAt).toBeInstanceOf(Date);
    expect(out.ConnectedAt?.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(out.ConnectedAt?.getTime()).toBeLessThanOrEqual(Date.now());
    expect(out.LastActiveAt).toBeInstanceOf(Date);
    expect(out.Identity?.SourceIp).toBe("127.0.0.1");
  });

  it("DeleteConnection closes the socket and fires $disconnect once", async () => {
    const h = await startHarness();
    const a = await connectClient(h);
    const b = await connectClient(h);
    const closing = closed(a.ws);
    await h.client.send(new DeleteConnectionCommand({ ConnectionId: a.connectionId }));
    await closing;
    await waitFor(() => h.byRoute("$disconnect").length > 0);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const disconnects = h.byRoute("$disconnect");
    expect(disconnects).toHaveLength(1);
    expect(disconnects[0]?.requestContext).toMatchObject({
      eventType: "DISCONNECT",
      connectionId: a.connectionId,
    });
    expect(h.gateway.connectionCount()).toBe(1);
    expect(b.ws.readyState).toBe(WebSocket.OPEN);

    // Deleting it again: gone.
    await expect(
      h.client.send(new DeleteConnectionCommand({ ConnectionId: a.connectionId })),
    ).rejects.toMatchObject({
      name: "GoneException",
    });
  });

  it("a client-side close fires $disconnect once with the close code", async () => {
    const h = await startHarness();
    const a = await connectClient(h);
    a.ws.close(4000, "bye");
    await waitFor(() => h.byRoute("$disconnect").length > 0);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(h.byRoute("$disconnect")).toHaveLength(1);
    expect(h.byRoute("$disconnect")[0]?.requestContext).toMatchObject({
      connectionId: a.connectionId,
      disconnectStatusCode: 4000,
      disconnectReason: "bye",
    });
  });

  it("PostToConnection and GetConnection on an unknown or closed id throw GoneException", async () => {
    const h = await startHarness();
    const error = await h.client
      .send(new PostToConnectionCommand({ ConnectionId: "nope+/=", Data: "x" }))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "GoneException", $metadata: { httpStatusCode: 410 } });

    const a = await connectClient(h);
    a.ws.close();
    await waitFor(() => h.byRoute("$disconnect").length > 0);
    await expect(
      h.client.send(new PostToConnectionCommand({ ConnectionId: a.connectionId, Data: "x" })),
    ).rejects.toMatchObject({ name: "GoneException" });
    await expect(
      h.client.send(new GetConnectionCommand({ ConnectionId: a.connectionId })),
    ).rejects.toMatchObject({
      name: "GoneException",
    });
  });

  it("PostToConnection above the frame limit throws PayloadTooLargeException", async () => {
    const h = await startHarness({ maxFrameBytes: 1024 });
    const a = await connectClient(h);
    await expect(
      h.client.send(new PostToConnectionCommand({ ConnectionId: a.connectionId, Data: "x".repeat(2000) })),
    ).rejects.toMatchObject({ name: "PayloadTooLargeException" });
    expect(a.ws.readyState).toBe(WebSocket.OPEN);
  });

  it("routes messages to $default and sends the route response back", async () => {
    const h = await startHarness({
      message: (e) => ({ statusCode: 200, body: JSON.stringify({ echo: e.body }) }),
    });
    const a = await connectClient(h);
    const reply = nextMessage(a.ws);
    a.ws.send(JSON.stringify({ action: "ping" }));
    expect(JSON.parse(await reply)).toEqual({ echo: JSON.stringify({ action: "ping" }) });
    const [event] = h.byRoute("$default");
    expect(event?.body).toBe(JSON.stringify({ action: "ping" }));
    expect(event?.isBase64Encoded).toBe(false);
    expect(event?.requestContext).toMatchObject({ eventType: "MESSAGE", connectionId: a.connectionId });
    expect(event?.requestContext.messageId).toBeTruthy();
  });

  it("a $default handler failure sends API Gateway's internal-error message", async () => {
    const h = await startHarness({
      message: () => {
        throw new Error("boom");
      },
    });
    const a = await connectClient(h);
    const reply = nextMessage(a.ws);
    a.ws.send("hello");
    expect(JSON.parse(await reply)).toMatchObject({
      message: "Internal server error",
      connectionId: a.connectionId,
    });
    expect(a.ws.readyState).toBe(WebSocket.OPEN);
  });

  it("closes a connection that sends an oversized frame with 1009", async () => {
    const h = await startHarness({ maxFrameBytes: 1024 });
    const a = await connectClient(h);
    const closing = closed(a.ws);
    a.ws.send("x".repeat(2048));
    expect((await closing).code).toBe(1009);
    await waitFor(() => h.byRoute("$disconnect").length === 1);
    expect(h.byRoute("$default")).toHaveLength(0);
    expect(h.gateway.connectionCount()).toBe(0);
  });

  it("closes idle connections with 1001, and messages keep a connection alive", async () => {
    const h = await startHarness({ idleTimeoutMs: 200 });
    const idle = await connectClient(h);
    const busy = await connectClient(h);
    const idleClosed = closed(idle.ws);
    const started = Date.now();
    const keepAlive = setInterval(() => busy.ws.send("ping"), 50);
    try {
      expect((await idleClosed).code).toBe(1001);
      expect(Date.now() - started).toBeGreaterThanOrEqual(150);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(busy.ws.readyState).toBe(WebSocket.OPEN);
    } finally {
      clearInterval(keepAlive);
    }
    await waitFor(() => h.byRoute("$disconnect").length === 1);
    expect(h.byRoute("$disconnect")[0]?.requestContext.connectionId).toBe(idle.connectionId);
  });

  it("closes connections at the maximum connection age with 1001", async () => {
    const h = await startHarness({ maxConnectionMs: 200 });
    const a = await connectClient(h);
    const closing = closed(a.ws);
    const keepAlive = setInterval(() => a.ws.send("ping"), 50);
    try {
      expect((await closing).code).toBe(1001);
    } finally {
      clearInterval(keepAlive);
    }
  });

  it("close() closes every socket and fires $disconnect for each", async () => {
    const h = await startHarness();
    const a = await connectClient(h);
    const b = await connectClient(h);
    const closings = [closed(a.ws), closed(b.ws)];
    await h.gateway.close();
    expect((await Promise.all(closings)).map((c) => c.code)).toEqual([1001, 1001]);
    expect(
      h
        .byRoute("$disconnect")
        .map((e) => e.requestContext.connectionId)
        .sort(),
    ).toEqual([a.connectionId, b.connectionId].sort());
    expect(h.gateway.connectionCount()).toBe(0);
    await h.gateway.close(); // idempotent
    expect(h.byRoute("$disconnect")).toHaveLength(2);
  });

  it("refuses @connections requests from non-loopback addresses", async () => {
    const h = await startHarness();
    const fake = {
      url: "/@connections/abc",
      method: "GET",
      socket: { remoteAddress: "10.1.2.3" },
      resume() {},
    } as unknown as IncomingMessage;
    let status = 0;
    const headers: Record<string, string> = {};
    const fakeRes = {
      headersSent: false,
      writeHead(code: number, h: Record<string, string>) {
        status = code;
        Object.assign(headers, h);
        return this;
      },
      end() {
        return this;
      },
    } as unknown as import("node:http").ServerResponse;
    expect(h.gateway.handleManagementRequest(fake, fakeRes)).toBe(true);
    expect(status).toBe(403);
    expect(headers["x-amzn-errortype"]).toBe("ForbiddenException");
    const other = { ...fake, url: "/api/v1/tasks" } as unknown as IncomingMessage;
    expect(h.gateway.handleManagementRequest(other, fakeRes)).toBe(false);
  });
});
