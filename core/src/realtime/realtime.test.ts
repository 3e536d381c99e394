import { describe, expect, it, vi } from "vitest";
import { operator, type TestCtx, testCtx, workerActor } from "../../../test/context.ts";
import * as Auth from "../auth/service.ts";
import { log } from "../log.ts";
import type { PushPort } from "../ports/push.ts";
import type { RealtimeEvent } from "./events.ts";
import * as Realtime from "./service.ts";

/** An event whose data does not matter to who receives it: these tests are about the audience. */
const note = (id: string): RealtimeEvent => ({
  type: "activity.created",
  data: {
    id,
    type: "test.note",
    summary: id,
    taskId: null,
    workerId: null,
    sessionId: null,
    createdAt: "2025-01-01T00:00:00.000Z",
  },
});

const connectionIds = async (ctx: TestCtx) =>
  (await ctx.db.connection.query.all({}).go({ pages: "all" })).data.map((c) => c.connectionId).sort();

/** One person and two workers connected, each through a ticket. */
const connected = async (ctx: TestCtx) => {
  const w1 = await workerActor(ctx, "w1");
  const w2 = await workerActor(ctx, "w2");
  expect(
    await Realtime.connect(ctx, "c-human", await Auth.issueTicket(ctx, { ...operator, role: "operator" })),
  ).toMatchObject({
    role: "operator",
  });
  expect(await Realtime.connect(ctx, "c-w1", await Auth.issueTicket(ctx, w1))).toMatchObject({
    role: "worker",
  });
  expect(await Realtime.connect(ctx, "c-w2", await Auth.issueTicket(ctx, w2))).toMatchObject({
    role: "worker",
  });
  ctx.pushed.length = 0;
  return { w1, w2 };
};

describe("realtime", () => {
  it("connects only with a valid, unused ticket", async () => {
    const ctx = await testCtx("realtime-connect");
    const ticket = await Auth.issueTicket(ctx, { ...operator, role: "operator" });
    expect(await Realtime.connect(ctx, "c1", undefined)).toBeNull();
    expect(await Realtime.connect(ctx, "c1", "avs_forged")).toBeNull();
    expect(await Realtime.connect(ctx, "c1", ticket)).toMatchObject({ principalId: operator.principalId });
    expect(await Realtime.connect(ctx, "c2", ticket)).toBeNull();
    expect(await connectionIds(ctx)).toEqual(["c1"]);
    await Realtime.disconnect(ctx, "c1");
    expect(await connectionIds(ctx)).toEqual([]);
  });

  it("an event for people reaches only the people's connections", async () => {
    const ctx = await testCtx("realtime-humans");
    await connected(ctx);
    await Realtime.publish(ctx, note("m1"));
    expect(ctx.pushed).toEqual([{ connectionId: "c-human", event: note("m1") }]);
  });

  it("an event addressed to a worker reaches that worker's connection only", async () => {
    const ctx = await testCtx("realtime-worker");
    const { w1 } = await connected(ctx);
    await Realtime.publish(ctx, note("answer"), { humans: false, workerIds: [w1.principalId] });
    expect(ctx.pushed.map((p) => p.connectionId)).toEqual(["c-w1"]);
    ctx.pushed.length = 0;
    await Realtime.publish(ctx, note("both"), { humans: true, workerIds: [w1.principalId] });
    expect(ctx.pushed.map((p) => p.connectionId).sort()).toEqual(["c-human", "c-w1"]);
    expect(ctx.pushed.every((p) => p.event.type === "activity.created")).toBe(true);
  });

  it("a person's principal id that equals a worker id does not receive that worker's events", async () => {
    const ctx = await testCtx("realtime-roles");
    const w = await workerActor(ctx);
    const impostor = { role: "viewer" as const, principalId: w.principalId, name: "v" };
    await Realtime.connect(ctx, "c-viewer", await Auth.issueTicket(ctx, impostor));
    ctx.pushed.length = 0;
    await Realtime.publish(ctx, note("private"), { humans: false, workerIds: [w.principalId] });
    expect(ctx.pushed).toEqual([]);
  });

  it("skips expired connections", async () => {
    const ctx = await testCtx("realtime-expired");
    await connected(ctx);
    ctx.clock.advance(ctx.config.connectionTtlMs + 1000);
    await Realtime.publish(ctx, note("late"));
    expect(ctx.pushed).toEqual([]);
  });

  it("a connection the gateway reports gone is deleted; the others still get the event", async () => {
    const base = await testCtx("realtime-gone");
    await connected(base);
    const push: PushPort = {
      async post(connectionId, data) {
        if (connectionId === "c-w1") return "gone";
        if (connectionId === "c-w2") throw new Error("network down");
        base.pushed.push({ connectionId, event: JSON.parse(data) });
        return "sent";
      },
    };
    const ctx: TestCtx = { ...base, push };
    const { w1, w2 } = {
      w1: (await ctx.db.connection.get({ connectionId: "c-w1" }).go()).data!,
      w2: (await ctx.db.connection.get({ connectionId: "c-w2" }).go()).data!,
    };
    // A failing push does not fail the publish (clients resync over REST); it is logged.
    const warn = vi.spyOn(log, "warn").mockImplementation(() => {});
    await Realtime.publish(ctx, note("t"), { humans: true, workerIds: [w1.principalId, w2.principalId] });
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({
        connectionId: "c-w2",
        err: expect.objectContaining({ message: "network down" }),
      }),
      "push failed",
    );
    warn.mockRestore();
    expect(ctx.pushed.map((p) => p.connectionId)).toEqual(["c-human"]);
    expect(await connectionIds(ctx)).toEqual(["c-human", "c-w2"]);
  });

  it("answers a ping with a pong and ignores anything else", () => {
    expect(Realtime.onMessage(JSON.stringify({ type: "ping" }))).toEqual({ type: "pong", data: {} });
    expect(Realtime.onMessage("not json")).toBeNull();
    expect(Realtime.onMessage(undefined)).toBeNull();
    expect(Realtime.onMessage(JSON.stringify({ type: "chat.message" }))).toBeNull();
  });
});
