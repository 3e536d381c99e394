import { describe, expect, it } from "vitest";
import { operator, testCtx, workerActor } from "../../../test/context.ts";
import type { Ctx } from "../context.ts";
import * as Session from "../session/service.ts";
import * as Task from "../task/service.ts";
import * as Worker from "../worker/service.ts";
import { WorkOrder } from "./index.ts";

/** A worker registered as a process the supervisor (or ECS) can report gone. */
const running = async (ctx: Ctx, runtimeId: string) => {
  const { worker } = await Worker.register(ctx, { name: runtimeId, runtimeId });
  return { role: "worker", principalId: worker.id, name: worker.name } as const;
};

describe("a worker reported gone", () => {
  it("gives its work back at once: the next claim is a takeover, long before the lease would end", async () => {
    const ctx = await testCtx("lost-basic");
    const a = await running(ctx, "local-a");
    const b = await workerActor(ctx, "b");
    const task = await Task.create(ctx, { title: "t" }, operator.name);
    const wo = (await WorkOrder.claimNext(ctx, a.principalId))!;
    const session = await Session.create(ctx, a, {
      sessionId: "sa",
      workerId: a.principalId,
      taskId: task.id,
    });

    // The clock does not move: under the lease alone, nobody else may take it.
    expect(await WorkOrder.claimNext(ctx, b.principalId)).toBeNull();

    expect(await WorkOrder.runtimeGone(ctx, "local-a", "exit code 137")).toEqual([wo.id]);
    const t = await Task.get(ctx, task.id);
    expect([t.status, t.workerId]).toEqual(["queued", null]);
    const execution = (await ctx.db.execution.get({ id: session.executionId! }).go()).data;
    expect(execution?.status).toBe("failed");
    expect(execution?.output).toContain("exit code 137");
    expect((await ctx.db.worker.get({ id: a.principalId }).go()).data).toBeNull();

    const taken = await WorkOrder.claimNext(ctx, b.principalId);
    expect(taken?.id).toBe(wo.id);
    expect(taken?.retryCount).toBe(1);
    expect((await Task.get(ctx, task.id)).workerId).toBe(b.principalId);
  });

  it("fails the task instead when the retries are used up", async () => {
    const ctx = await testCtx("lost-retries", { maxRetries: 0 });
    const a = await running(ctx, "local-a");
    const b = await workerActor(ctx, "b");
    const task = await Task.create(ctx, { title: "t" }, operator.name);
    await WorkOrder.claimNext(ctx, a.principalId);
    await WorkOrder.runtimeGone(ctx, "local-a", "killed");
    expect(await WorkOrder.claimNext(ctx, b.principalId)).toBeNull();
    const t = await Task.get(ctx, task.id);
    expect(t.status).toBe("failed");
    expect(t.failureReason).toMatch(/Worker lost 1 times/);
  });

  it("an idle worker is only deregistered; an unknown runtime changes nothing", async () => {
    const ctx = await testCtx("lost-idle");
    const a = await running(ctx, "local-a");
    const b = await running(ctx, "local-b");
    expect(await WorkOrder.runtimeGone(ctx, "local-a", "exited")).toEqual([]);
    expect(await WorkOrder.runtimeGone(ctx, "nobody", "exited")).toEqual([]);
    expect((await ctx.db.worker.get({ id: a.principalId }).go()).data).toBeNull();
    expect((await ctx.db.worker.get({ id: b.principalId }).go()).data?.id).toBe(b.principalId);
  });

  it("a claim another worker took over meanwhile is left alone", async () => {
    const ctx = await testCtx("lost-taken-over", { leaseMs: 1000 });
    const a = await running(ctx, "local-a");
    const b = await workerActor(ctx, "b");
    await Task.create(ctx, { title: "t" }, operator.name);
    const wo = (await WorkOrder.claimNext(ctx, a.principalId))!;
    ctx.clock.advance(2000);
    // b takes it over through the ordinary lease expiry.
    expect((await WorkOrder.claimById(ctx, b.principalId, wo.id)).workerId).toBe(b.principalId);
    expect(await WorkOrder.runtimeGone(ctx, "local-a", "exited")).toEqual([]);
    expect((await WorkOrder.load(ctx, wo.id)).workerId).toBe(b.principalId);
  });
});
