import { describe, expect, it } from "vitest";
import { testCtx } from "../../../test/context.ts";
import { PageQuery } from "../page.ts";
import * as Worker from "./service.ts";

describe("worker", () => {
  it("registers idle, with its own credential", async () => {
    const ctx = await testCtx("worker-register");
    const { worker, token } = await Worker.register(ctx, { name: "w1", host: "box", pid: 42 });
    expect(worker).toMatchObject({ name: "w1", status: "idle", host: "box", pid: 42, currentTaskId: null });
    expect(token).toMatch(/^avw_/);
    expect(ctx.pushed).toEqual([]); // nobody connected
  });

  it("is shown offline after three silent heartbeat intervals, and back on its next heartbeat", async () => {
    const ctx = await testCtx("worker-offline");
    const { worker } = await Worker.register(ctx, { name: "w1" });
    const interval = ctx.config.heartbeatIntervalMs;
    ctx.clock.advance(3 * interval);
    expect(Worker.info(ctx, await Worker.load(ctx, worker.id)).status).toBe("idle");
    expect(await Worker.markOffline(ctx)).toBe(0);
    ctx.clock.advance(1);
    expect(Worker.info(ctx, await Worker.load(ctx, worker.id)).status).toBe("offline");
    expect(await Worker.markOffline(ctx)).toBe(1);
    // Announced once: the next run, a reaper interval later, has nothing new to say.
    ctx.clock.advance(ctx.config.reaperIntervalMs);
    expect(await Worker.markOffline(ctx)).toBe(0);
    expect(Worker.info(ctx, await Worker.load(ctx, worker.id)).status).toBe("offline");

    const back = await Worker.heartbeat(ctx, worker.id);
    expect(Worker.info(ctx, back).status).toBe("idle");
    expect(back.lastHeartbeatAt).toBe(new Date(ctx.clock.now()).toISOString());
    expect((await Worker.heartbeat(ctx, worker.id, "error")).status).toBe("error");
  });

  it("a heartbeat never undoes the status the worker's work set (waiting stays waiting)", async () => {
    const ctx = await testCtx("worker-heartbeat-status");
    const { worker } = await Worker.register(ctx, { name: "w1" });
    await Worker.setStatus(ctx, worker.id, "waiting");
    ctx.clock.advance(1000);
    const beat = await Worker.heartbeat(ctx, worker.id);
    expect(beat.status).toBe("waiting");
    expect(beat.lastHeartbeatAt).toBe(new Date(ctx.clock.now()).toISOString());
    expect((await Worker.heartbeat(ctx, worker.id, "error")).status).toBe("error");
  });

  it("lists workers by latest heartbeat first", async () => {
    const ctx = await testCtx("worker-list");
    const a = (await Worker.register(ctx, { name: "a" })).worker;
    ctx.clock.advance(1000);
    const b = (await Worker.register(ctx, { name: "b" })).worker;
    ctx.clock.advance(1000);
    await Worker.heartbeat(ctx, a.id);
    const page = await Worker.list(ctx, PageQuery.parse({}));
    expect(page.items.map((w) => w.name)).toEqual(["a", "b"]);
    expect(page.items.map((w) => w.id)).toEqual([a.id, b.id]);
  });

  it("deregister removes the worker", async () => {
    const ctx = await testCtx("worker-deregister");
    const { worker } = await Worker.register(ctx, { name: "w" });
    await Worker.deregister(ctx, worker.id);
    await expect(Worker.load(ctx, worker.id)).rejects.toMatchObject({ kind: "not_found" });
    await expect(Worker.heartbeat(ctx, worker.id)).rejects.toMatchObject({ kind: "not_found" });
    // A status change for a worker that is gone is dropped, not an error.
    await Worker.setStatus(ctx, worker.id, "idle", null);
    await expect(Worker.load(ctx, worker.id)).rejects.toMatchObject({ kind: "not_found" });
  });

  it("scales through the scaler port and records who did", async () => {
    const ctx = await testCtx("worker-scale");
    expect(await Worker.scale(ctx, 5, "Olivia")).toEqual({ desired: 5, running: 5 });
    const timeline = await ctx.db.activity.query.timeline({}).go();
    expect(timeline.data.map((a) => a.summary)).toContain("Olivia set the worker count to 5");
  });
});
