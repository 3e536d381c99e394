import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type WebSocket, WebSocketServer } from "ws";
import { RealtimeClient } from "./realtime-client.ts";

/**
 * The worker's socket over the real `ws` package, against a server that accepts connections
 * and then falls silent: no pong, no close, as a half-open connection behind a dead NAT does.
 */
describe("the worker's realtime client", () => {
  let server: WebSocketServer;
  let client: RealtimeClient | undefined;
  afterEach(async () => {
    client?.close();
    for (const ws of server.clients) ws.terminate();
    await new Promise((r) => server.close(r));
  });

  const silentServer = async () => {
    server = new WebSocketServer({ port: 0, host: "127.0.0.1" });
    await once(server, "listening");
    const sockets: WebSocket[] = [];
    server.on("connection", (ws) => sockets.push(ws));
    const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws`;
    return { sockets, api: { wsTicket: async () => ({ ticket: "t", url }) } };
  };

  it("notices a socket that stops answering pings, reopens it and resyncs", async () => {
    const { sockets, api } = await silentServer();
    const logs: string[] = [];
    client = new RealtimeClient(api, (m) => logs.push(m), {
      pingMs: 50,
      pongTimeoutMs: 100,
      baseDelayMs: 10,
      maxDelayMs: 10,
    });
    let resyncs = 0;
    client.onResync(() => resyncs++);
    await client.connect();
    expect(sockets).toHaveLength(1);
    await expect.poll(() => sockets.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    await expect.poll(() => resyncs, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    expect(logs).toContain("realtime connection lost (No answer to ping); reconnecting");
  });

  it("delivers the events of the contract and drops what is not one", async () => {
    const { sockets, api } = await silentServer();
    const logs: string[] = [];
    client = new RealtimeClient(api, (m) => logs.push(m));
    const events: unknown[] = [];
    client.on((e) => events.push(e));
    await client.connect();
    const activity = {
      type: "activity.created",
      data: {
        id: "a1",
        type: "task.created",
        summary: "created",
        taskId: null,
        workerId: null,
        sessionId: null,
        createdAt: "2025-01-01T00:00:00.000Z",
      },
    };
    sockets[0]?.send(JSON.stringify({ type: "task.updated", data: { id: "half a task" } }));
    sockets[0]?.send(JSON.stringify(activity));
    await expect.poll(() => events).toEqual([activity]);
    expect(logs.some((l) => l.startsWith("ignored a realtime frame"))).toBe(true);
  });
});
