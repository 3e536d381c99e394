import { describe, expect, it } from "vitest";
import { operator, type TestCtx, testCtx } from "../../../test/context.ts";
import * as Auth from "../auth/service.ts";
import { epochSeconds, iso } from "../clock.ts";
import type { RealtimeEvent } from "./events.ts";
import * as Realtime from "./service.ts";

const message = (id: string) => ({ type: "chat.message", data: { id } }) as unknown as RealtimeEvent;
const person = { ...operator, role: "operator" as const };
const got = (ctx: TestCtx, connectionId: string, id: string) =>
  ctx.pushed.filter((p) => p.connectionId === connectionId && (p.event.data as { id?: string }).id === id)
    .length;

/** A connection another process made: in the table, unknown to this process's directory. */
const elsewhere = async (ctx: TestCtx, connectionId: string) => {
  const now = ctx.clock.now();
  await ctx.db.connection
    .put({
      connectionId,
      role: "operator",
      principalId: "op-2",
      connectedAt: iso(now),
      expiresAt: epochSeconds(now + ctx.config.connectionTtlMs),
    })
    .go();
};

describe("realtime directory (connections remembered between publishes)", () => {
  it("a connection made elsewhere since the last look-up still gets the next event, once", async () => {
    const ctx = await testCtx("realtime-directory");
    await Realtime.connect(ctx, "c-here", await Auth.issueTicket(ctx, person));
    await Realtime.publish(ctx, message("before"));
    await elsewhere(ctx, "c-there");
    await Realtime.publish(ctx, message("after"));
    expect(got(ctx, "c-here", "after")).toBe(1);
    expect(got(ctx, "c-there", "after")).toBe(1);
    expect(got(ctx, "c-there", "before")).toBe(0);
  });

  it("a burst of events reaches every connection exactly once each, including one made mid-burst", async () => {
    const ctx = await testCtx("realtime-directory-burst");
    await Realtime.connect(ctx, "c-here", await Auth.issueTicket(ctx, person));
    await Realtime.publish(ctx, message("warm"));
    const ids = Array.from({ length: 12 }, (_, i) => `e${i}`);
    const early = Promise.all(ids.slice(0, 6).map((id) => Realtime.publish(ctx, message(id))));
    await elsewhere(ctx, "c-there");
    await Promise.all([early, ...ids.slice(6).map((id) => Realtime.publish(ctx, message(id)))]);
    for (const id of ids) expect(got(ctx, "c-here", id)).toBe(1);
    // Made before these publishes were called: each of them reaches it.
    for (const id of ids.slice(6)) expect(got(ctx, "c-there", id)).toBe(1);
    for (const id of ids.slice(0, 6)) expect(got(ctx, "c-there", id)).toBeLessThanOrEqual(1);
  });

  it("a connection closed in this process gets nothing more", async () => {
    const ctx = await testCtx("realtime-directory-gone");
    await Realtime.connect(ctx, "c-here", await Auth.issueTicket(ctx, person));
    await Realtime.connect(ctx, "c-left", await Auth.issueTicket(ctx, person));
    await Realtime.publish(ctx, message("both"));
    await Realtime.disconnect(ctx, "c-left");
    await Realtime.publish(ctx, message("one"));
    expect(got(ctx, "c-left", "both")).toBe(1);
    expect(got(ctx, "c-left", "one")).toBe(0);
    expect(got(ctx, "c-here", "one")).toBe(1);
  });

  it("owned (the local runtime): connections made here get every event, with no look-up of the table", async () => {
    const ctx = await testCtx("realtime-directory-owned");
    // Left in the table by an earlier run, whose gateway (and sockets) ended with it.
    await elsewhere(ctx, "c-earlier-run");
    Realtime.ownConnections(ctx);
    await Realtime.publish(ctx, message("none-yet"));
    await Realtime.connect(ctx, "c-here", await Auth.issueTicket(ctx, person));
    await Realtime.connect(ctx, "c-left", await Auth.issueTicket(ctx, person));
    await Realtime.publish(ctx, message("both"));
    await Realtime.disconnect(ctx, "c-left");
    await Realtime.publish(ctx, message("one"));
    expect(ctx.pushed.filter((p) => p.connectionId === "c-earlier-run")).toEqual([]);
    expect([got(ctx, "c-here", "both"), got(ctx, "c-left", "both")]).toEqual([1, 1]);
    expect([got(ctx, "c-here", "one"), got(ctx, "c-left", "one")]).toEqual([1, 0]);
  });
});
