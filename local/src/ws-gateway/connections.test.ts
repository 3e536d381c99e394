import { once } from "node:events";
import type { IncomingMessage } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { newConnectionId } from "./index.ts";
import { cleanUp, closed, connectClient, nextMessage, startHarness, waitFor } from "./test-harness.ts";

describe("newConnectionId", () => {
  it("looks like an API Gateway connection id", () => {
    const id = newConnectionId();
    expect(id).toMatch(/^[A-Za-z0-9_-]{15}=$/);
    expect(newConnectionId()).not.toBe(id);
  });
});

describe("local WebSocket gateway: connections", () => {
  afterEach(cleanUp);

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

  it("post sends to an open connection only, as @connections does, without a request", async () => {
    const h = await startHarness();
    const a = await connectClient(h);
    const incoming = nextMessage(a.ws);
    expect(await h.gateway.post(a.connectionId, "hi")).toBe("sent");
    expect(await incoming).toBe("hi");
    expect(h.managementRequests).toEqual([]);
    expect(await h.gateway.post("nobody", "hi")).toBe("gone");
    a.ws.close();
    await waitFor(() => h.gateway.connectionCount() === 0);
    expect(await h.gateway.post(a.connectionId, "hi")).toBe("gone");
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
});
