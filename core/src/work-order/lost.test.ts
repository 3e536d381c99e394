import { describe, expect, it } from "vitest";
import { testCtx } from "../../../test/context.ts";
import { claimedByA, openSession } from "../../../test/work-order-fixtures.ts";
import type { Ctx } from "../context.ts";
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
    const { a, b, task, wo } = await claimedByA(ctx, await running(ctx, "local-a"));
    const session = await openSession(ctx, a, task.id);

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
    const { b, task } = await claimedByA(ctx, await running(ctx, "local-a"));
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
    const { b, wo } = await claimedByA(ctx, await running(ctx, "local-a"));
    ctx.clock.advance(2000);
    // b takes it over through the ordinary lease expiry.
    expect((await WorkOrder.claimById(ctx, b.principalId, wo.id)).workerId).toBe(b.principalId);
    expect(await WorkOrder.runtimeGone(ctx, "local-a", "exited")).toEqual([]);
    expect((await WorkOrder.load(ctx, wo.id)).workerId).toBe(b.principalId);
  });
});
