import { describe, expect, it } from "vitest";
import { operator, type TestCtx, testCtx, workerActor } from "../../../test/context.ts";
import { claimedByA } from "../../../test/work-order-fixtures.ts";
import type { WorkOrderItem } from "../db/index.ts";
import * as Task from "../task/service.ts";
import { WorkOrder } from "./index.ts";
import { reconcile } from "./reconciler.ts";

/** A lost worker's lease ran out: DynamoDB's clock moves on, and the reconciler re-sends the message. */
const loseLease = async (ctx: TestCtx) => {
  ctx.clock.advance(ctx.config.leaseMs + 1);
  const { resent } = await reconcile(ctx, { resendAfterMs: 0 });
  expect(resent).toBe(1);
};

/** Polls (bounded, real time) until SQS hands the claim a message again; the visibility timeout is real. */
const claimWhenVisible = async (ctx: TestCtx, workerId: string, withinMs: number) => {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const wo = await WorkOrder.claimNext(ctx, workerId);
    if (wo || Date.now() > deadline) return wo;
    await new Promise((r) => setTimeout(r, 100));
  }
};

describe("lease", () => {
  it("a lost worker's work order is taken over with retryCount 1; its late complete is refused", async () => {
    const ctx = await testCtx("lease-takeover");
    const { a, b, task, wo: first } = await claimedByA(ctx);
    expect(first.retryCount).toBe(0);

    // While the lease is live, nobody else gets it, even from a resent message.
    ctx.clock.advance(ctx.config.leaseMs - 1);
    await ctx.queue.send("normal", { workOrderId: first.id, taskId: task.id });
    expect(await WorkOrder.claimNext(ctx, b.principalId)).toBeNull();

    await loseLease(ctx);
    const taken = await WorkOrder.claimNext(ctx, b.principalId);
    expect(taken?.id).toBe(first.id);
    expect(taken?.workerId).toBe(b.principalId);
    expect(taken?.retryCount).toBe(1);
    const t = await Task.get(ctx, task.id);
    expect(t.status).toBe("in_progress");
    expect(t.workerId).toBe(b.principalId);

    await expect(WorkOrder.complete(ctx, a.principalId, { workOrderId: first.id })).rejects.toMatchObject({
      kind: "forbidden",
      code: "workOrder.not_yours",
    });
    expect(await WorkOrder.renewLease(ctx, a.principalId, first.id)).toBe(false);
    await WorkOrder.complete(ctx, b.principalId, { workOrderId: first.id, output: "done by b" });
    expect((await Task.get(ctx, task.id)).status).toBe("completed");
  });

  it("a stale holder's ending loses to the takeover (finish is conditional on the holder)", async () => {
    const ctx = await testCtx("lease-stale-finish");
    const { b, task } = await claimedByA(ctx);
    // What `complete` read for worker a, just before b took the work over.
    const seenByA: WorkOrderItem = await WorkOrder.load(ctx, task.currentWorkOrderId!);
    await loseLease(ctx);
    expect((await WorkOrder.claimNext(ctx, b.principalId))?.workerId).toBe(b.principalId);

    // A lost conditional write is a value, not an exception.
    expect(await WorkOrder.finish(ctx, seenByA, { status: "completed", output: "a" })).toBe(false);
    const wo = await WorkOrder.load(ctx, seenByA.id);
    expect(wo.status).toBe("claimed");
    expect(wo.workerId).toBe(b.principalId);
    expect((await Task.get(ctx, task.id)).status).toBe("in_progress");
  });

  it("the message reappears after the real visibility timeout and is taken over", async () => {
    const ctx = await testCtx("lease-visibility", { leaseMs: 1000 });
    const { a, b, wo: first } = await claimedByA(ctx);
    // The message is hidden for the lease (1 s real time): nothing to claim right now.
    expect(await WorkOrder.claimNext(ctx, b.principalId)).toBeNull();

    ctx.clock.advance(ctx.config.leaseMs + 1);
    const taken = await claimWhenVisible(ctx, b.principalId, 10_000);
    expect(taken?.id).toBe(first.id);
    expect(taken?.retryCount).toBe(1);
    expect(taken?.workerId).toBe(b.principalId);
    await expect(WorkOrder.complete(ctx, a.principalId, { workOrderId: first.id })).rejects.toMatchObject({
      kind: "forbidden",
    });
    await WorkOrder.complete(ctx, b.principalId, { workOrderId: first.id });
    // b's receipt was the live one: the message is gone.
    const depth = await ctx.queue.depth();
    expect(depth.normal.visible + depth.normal.inFlight).toBe(0);
  });

  it("after maxRetries takeovers the task is failed with a reason and not claimable again", async () => {
    const ctx = await testCtx("lease-max-retries", { maxRetries: 2 });
    const workers = await Promise.all(["a", "b", "c", "d"].map((n) => workerActor(ctx, n)));
    const task = await Task.create(ctx, { title: "cursed" }, operator.name);
    const woId = task.currentWorkOrderId!;

    expect((await WorkOrder.claimNext(ctx, workers[0]!.principalId))?.retryCount).toBe(0);
    for (const [i, w] of [workers[1]!, workers[2]!].entries()) {
      await loseLease(ctx);
      const wo = await WorkOrder.claimNext(ctx, w.principalId);
      expect(wo?.id).toBe(woId);
      expect(wo?.retryCount).toBe(i + 1);
    }
    // A third loss: retries are used up, so the next claimer fails it instead of taking it.
    await loseLease(ctx);
    expect(await WorkOrder.claimNext(ctx, workers[3]!.principalId)).toBeNull();

    const wo = await WorkOrder.load(ctx, woId);
    expect(wo.status).toBe("failed");
    expect(wo.retryCount).toBe(2);
    expect(wo.failureReason).toMatch(/retries/);
    const t = await Task.get(ctx, task.id);
    expect(t.status).toBe("failed");
    expect(t.failureReason).toMatch(/Worker lost 3 times/);
    // The last holder is released; the would-be claimer stays idle.
    expect((await ctx.db.worker.get({ id: workers[2]!.principalId }).go()).data?.status).toBe("idle");
    expect((await ctx.db.worker.get({ id: workers[3]!.principalId }).go()).data?.status).toBe("idle");

    // Not claimable again, by message or by id, and the reconciler does not bring it back.
    ctx.clock.advance(ctx.config.leaseMs + 1);
    expect((await reconcile(ctx, { resendAfterMs: 0 })).resent).toBe(0);
    expect(await WorkOrder.claimNext(ctx, workers[3]!.principalId)).toBeNull();
    await expect(WorkOrder.claimById(ctx, workers[3]!.principalId, woId)).rejects.toMatchObject({
      kind: "conflict",
    });
    expect((await WorkOrder.load(ctx, woId)).status).toBe("failed");
  });

  it("two claimers racing to fail a work order out of retries: one fails it, neither errors", async () => {
    const ctx = await testCtx("lease-max-retries-race", { maxRetries: 0 });
    const [a, b, c] = await Promise.all(["a", "b", "c"].map((n) => workerActor(ctx, n)));
    const task = await Task.create(ctx, { title: "t" }, operator.name);
    await WorkOrder.claimNext(ctx, a!.principalId);
    await loseLease(ctx);
    // Two deliveries of the same work order, one for each claimer.
    await ctx.queue.send("normal", { workOrderId: task.currentWorkOrderId!, taskId: task.id });

    const results = await Promise.allSettled([
      WorkOrder.claimNext(ctx, b!.principalId),
      WorkOrder.claimNext(ctx, c!.principalId),
    ]);
    expect(results).toEqual([
      { status: "fulfilled", value: null },
      { status: "fulfilled", value: null },
    ]);
    expect((await WorkOrder.load(ctx, task.currentWorkOrderId!)).status).toBe("failed");
    expect((await Task.get(ctx, task.id)).status).toBe("failed");
    const depth = await ctx.queue.depth();
    expect(depth.normal.visible).toBe(0);
  });

  it("renewLease keeps the claim; it returns false once taken over", async () => {
    const ctx = await testCtx("lease-renew");
    const { a, b, task, wo } = await claimedByA(ctx);
    const lease = ctx.config.leaseMs;

    // Renew twice, each before the lease ends: a is now well past its first lease and still holds it.
    for (let i = 0; i < 2; i++) {
      ctx.clock.advance(lease - 1000);
      expect(await WorkOrder.renewLease(ctx, a.principalId, wo.id)).toBe(true);
    }
    expect((await WorkOrder.load(ctx, wo.id)).leaseExpiresAt).toBe(ctx.clock.now() + lease);
    ctx.clock.advance(lease - 1000);
    // Nothing to resend while the renewed lease is live; a duplicate delivery cannot take it.
    expect((await reconcile(ctx, { resendAfterMs: 0 })).resent).toBe(0);
    await ctx.queue.send("normal", { workOrderId: wo.id, taskId: task.id });
    expect(await WorkOrder.claimNext(ctx, b.principalId)).toBeNull();
    const held = await WorkOrder.load(ctx, wo.id);
    expect(held.workerId).toBe(a.principalId);
    expect(held.retryCount).toBe(0);

    // a stops renewing: the lease runs out and b takes over; a's next renewal fails.
    ctx.clock.advance(lease);
    await WorkOrder.claimById(ctx, b.principalId, wo.id);
    expect(await WorkOrder.renewLease(ctx, a.principalId, wo.id)).toBe(false);
    expect(await WorkOrder.renewLease(ctx, b.principalId, wo.id)).toBe(true);
    await WorkOrder.complete(ctx, b.principalId, { workOrderId: wo.id });
    expect(await WorkOrder.renewLease(ctx, b.principalId, wo.id)).toBe(false);
  });
});
