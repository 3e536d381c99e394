import { describe, expect, it } from "vitest";
import { operator, type TestCtx, testCtx, workerActor } from "../../../test/context.ts";
import { QUEUES } from "../resources.ts";
import * as Task from "../task/service.ts";
import { WorkOrder } from "./index.ts";
import { reconcile } from "./reconciler.ts";

/** Takes the task's message off the queue behind the system's back (a queue engine that lost it). */
const loseMessage = async (ctx: TestCtx) => {
  const [msg] = await ctx.queue.receive("normal", { waitSeconds: 0, visibilitySeconds: 30 });
  expect(msg).toBeDefined();
  await ctx.queue.delete("normal", msg!.receiptHandle);
  expect((await ctx.queue.depth()).normal).toEqual({ visible: 0, inFlight: 0, dead: 0 });
};

/** Receives a message more often than the redrive policy allows, so SQS moves it to the DLQ. */
const deadLetter = async (ctx: TestCtx) => {
  for (let i = 0; i <= QUEUES.maxReceiveCount; i++)
    await ctx.queue.receive("normal", { waitSeconds: 0, visibilitySeconds: 0 });
  const depth = (await ctx.queue.depth()).normal;
  expect(depth.visible + depth.inFlight).toBe(0);
  expect(depth.dead).toBe(1);
};

describe("reconciler", () => {
  it("re-sends a queued work order whose message was lost, once it is due", async () => {
    const ctx = await testCtx("reconcile-lost");
    const w = await workerActor(ctx);
    const task = await Task.create(ctx, { title: "t" }, operator.name);
    await loseMessage(ctx);
    expect(await WorkOrder.claimNext(ctx, w.principalId)).toBeNull();

    // Recent: the default setting leaves it alone (its send may still be on the way).
    expect(await reconcile(ctx)).toEqual({ resent: 0, deadLettered: 0 });
    expect((await ctx.queue.depth()).normal.visible).toBe(0);

    expect(await reconcile(ctx, { resendAfterMs: 0 })).toEqual({ resent: 1, deadLettered: 0 });
    expect((await ctx.queue.depth()).normal.visible).toBe(1);
    // Marked as sent: an immediate second run does not send it again.
    ctx.clock.advance(1);
    expect((await reconcile(ctx)).resent).toBe(0);

    const wo = await WorkOrder.claimNext(ctx, w.principalId);
    expect(wo?.taskId).toBe(task.id);
    expect(wo?.retryCount).toBe(0);
  });

  it("with the default setting, re-sends once resendAfterMs has passed", async () => {
    const ctx = await testCtx("reconcile-default");
    const w = await workerActor(ctx);
    const task = await Task.create(ctx, { title: "t" }, operator.name);
    await loseMessage(ctx);
    ctx.clock.advance(ctx.config.resendAfterMs - 1);
    expect((await reconcile(ctx)).resent).toBe(0);
    ctx.clock.advance(1);
    expect((await reconcile(ctx)).resent).toBe(1);
    expect((await WorkOrder.claimNext(ctx, w.principalId))?.taskId).toBe(task.id);
  });

  it("two reconcilers running at once send a lost message once", async () => {
    const ctx = await testCtx("reconcile-concurrent");
    await Task.create(ctx, { title: "t" }, operator.name);
    await loseMessage(ctx);
    ctx.clock.advance(1);
    // Due 1 ms after it was sent: a reconciler that reads after the other has marked it (sent
    // now) finds it not due, however the two interleave.
    const runs = await Promise.all([
      reconcile(ctx, { resendAfterMs: 1 }),
      reconcile(ctx, { resendAfterMs: 1 }),
    ]);
    expect(runs[0]!.resent + runs[1]!.resent).toBe(1);
    expect((await ctx.queue.depth()).normal.visible).toBe(1);
  });

  it("leaves finished and live-leased work orders alone", async () => {
    const ctx = await testCtx("reconcile-quiet");
    const w = await workerActor(ctx);
    await Task.create(ctx, { title: "done" }, operator.name);
    const done = (await WorkOrder.claimNext(ctx, w.principalId))!;
    await WorkOrder.complete(ctx, w.principalId, { workOrderId: done.id });
    await Task.create(ctx, { title: "held" }, operator.name);
    await WorkOrder.claimNext(ctx, w.principalId);
    expect(await reconcile(ctx, { resendAfterMs: 0 })).toEqual({ resent: 0, deadLettered: 0 });
    const depth = (await ctx.queue.depth()).normal;
    expect(depth.visible).toBe(0);
  });

  it("fails a dead-lettered queued work order and its task, naming the dead-letter queue", async () => {
    const ctx = await testCtx("reconcile-dlq");
    const w = await workerActor(ctx);
    const task = await Task.create(ctx, { title: "poison" }, operator.name);
    await deadLetter(ctx);

    expect(await reconcile(ctx)).toEqual({ resent: 0, deadLettered: 1 });
    const wo = await WorkOrder.load(ctx, task.currentWorkOrderId!);
    expect(wo.status).toBe("failed");
    expect(wo.failureReason).toMatch(/dead-letter queue/);
    const t = await Task.get(ctx, task.id);
    expect(t.status).toBe("failed");
    expect(t.failureReason).toMatch(/dead-letter queue/);
    // The DLQ message is consumed; nothing is claimable or resent.
    expect((await ctx.queue.depth()).normal.dead).toBe(0);
    expect(await reconcile(ctx, { resendAfterMs: 0 })).toEqual({ resent: 0, deadLettered: 0 });
    expect(await WorkOrder.claimNext(ctx, w.principalId)).toBeNull();
  });

  it("drops a dead letter of a work order that already finished, without touching it", async () => {
    const ctx = await testCtx("reconcile-dlq-finished");
    const w = await workerActor(ctx);
    const task = await Task.create(ctx, { title: "t" }, operator.name);
    const wo = (await WorkOrder.claimById(ctx, w.principalId, task.currentWorkOrderId!))!;
    await WorkOrder.complete(ctx, w.principalId, { workOrderId: wo.id });
    await deadLetter(ctx);
    expect(await reconcile(ctx)).toEqual({ resent: 0, deadLettered: 0 });
    expect((await WorkOrder.load(ctx, wo.id)).status).toBe("completed");
    expect((await Task.get(ctx, task.id)).status).toBe("completed");
    expect((await ctx.queue.depth()).normal.dead).toBe(0);
  });
});
