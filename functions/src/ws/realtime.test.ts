import { epochSeconds, iso } from "@agentvine/core/clock";
import { describe, expect, it, vi } from "vitest";
import { WebSocket } from "ws";
import { WS_PATH } from "../../../test/api.ts";
import { useRealtimeHarness } from "./realtime-harness.ts";

describe("realtime over the local WebSocket gateway: tickets and connections", () => {
  const rt = useRealtimeHarness("realtime");

  it("refuses a socket without a ticket, or with an unknown one, with 401", async () => {
    const before = await rt.connectionIds();
    const none = await rt.refused(`${rt.origin.replace("http", "ws")}${WS_PATH}`);
    expect(none.status).toBe(401);
    expect(JSON.parse(none.body).error.code).toBe("auth.invalid_ticket");
    const bogus = await rt.refused(`${rt.origin.replace("http", "ws")}${WS_PATH}?ticket=avs_made-up`);
    expect(bogus.status).toBe(401);
    expect(await rt.connectionIds()).toEqual(before);
  });

  it("a ticket opens one socket, once", async () => {
    const url = await rt.ticketUrl(rt.h.tokens.viewer);
    const client = await rt.connect(url);
    expect(client.ws.readyState).toBe(WebSocket.OPEN);
    const again = await rt.refused(url);
    expect(again.status).toBe(401);
    expect(JSON.parse(again.body).error.code).toBe("auth.invalid_ticket");
    const rows = (await rt.h.ctx.db.connection.query.all({}).go({ pages: "all" })).data;
    expect(rows.filter((c) => c.role === "viewer")).toHaveLength(1);
  });

  it("an expired ticket is refused", async () => {
    const url = await rt.ticketUrl(rt.h.tokens.operator);
    rt.h.ctx.clock.advance(rt.h.ctx.config.wsTicketTtlMs + 1000);
    expect((await rt.refused(url)).status).toBe(401);
  });

  it("answers ping with pong", async () => {
    const client = await rt.connect(await rt.ticketUrl(rt.h.tokens.viewer));
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

  it("a connection whose socket is gone (410) is deleted on the next publish", async () => {
    const live = await rt.connect(await rt.ticketUrl(rt.h.tokens.viewer));
    const ghost = "ghostConnId=";
    const now = rt.h.ctx.clock.now();
    await rt.h.ctx.db.connection
      .put({
        connectionId: ghost,
        role: "viewer",
        principalId: "someone",
        connectedAt: iso(now),
        expiresAt: epochSeconds(now + 3_600_000),
      })
      .go();
    expect(await rt.connectionIds()).toContain(ghost);

    const created = await rt.rest("POST", "/api/v1/tasks", rt.h.tokens.operator, { title: "Wake the ghost" });
    expect(created.status).toBe(201);
    // The publish finished before the REST answer: the ghost is gone, the live socket got it.
    expect((await rt.h.ctx.db.connection.get({ connectionId: ghost }).go()).data).toBeNull();
    await live.waitFor((e) => e.type === "task.updated" && e.data.id === created.body.id, "task.updated");
    expect(await rt.connectionIds()).not.toContain(ghost);
  });

  it("closing a socket deletes its connection row ($disconnect)", async () => {
    const before = new Set(await rt.connectionIds());
    const client = await rt.connect(await rt.ticketUrl(rt.h.tokens.viewer));
    const added = (await rt.connectionIds()).filter((id) => !before.has(id));
    expect(added).toHaveLength(1);
    client.ws.close();
    await vi.waitFor(async () => expect(await rt.connectionIds()).not.toContain(added[0]), {
      timeout: 10_000,
      interval: 50,
    });
  });
});
