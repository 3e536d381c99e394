import { describe, expect, it } from "vitest";
import { operator, type TestCtx, testCtx, workerActor } from "../../../test/context.ts";
import { WorkOrder } from "../work-order/index.ts";
import { cancelledTask, withAfterSend, workOrdersOf } from "./fixtures.ts";
import * as Task from "./service.ts";

describe("re-enqueue", () => {
  it("re-enqueues a failed or cancelled task as a new, claimable work order", async () => {
    const ctx = await testCtx("task-reenqueue");
    const w = await workerActor(ctx);
    const failed = await Task.create(ctx, { title: "failed" }, operator.name);
    const wo1 = (await WorkOrder.claimNext(ctx, w.principalId))!;
    await WorkOrder.fail(ctx, w.principalId, { workOrderId: wo1.id, reason: "boom" });
    const cancelled = await Task.create(ctx, { title: "cancelled", priority: "low" }, operator.name);
    await Task.update(ctx, cancelled.id, { status: "cancelled" }, operator.name);

    for (const task of [failed, cancelled]) {
      const { task: again, workOrder } = await WorkOrder.reenqueue(ctx, task.id, operator.name);
      expect(again.status).toBe("queued");
      expect(again.failureReason).toBeNull();
      expect(again.completedAt).toBeNull();
      expect(again.currentWorkOrderId).toBe(workOrder.id);
      expect(workOrder.id).not.toBe(task.currentWorkOrderId);
      expect(workOrder).toMatchObject({ status: "queued", retryCount: 0, priority: task.priority });
      const claimed = await WorkOrder.claimNext(ctx, w.principalId);
      expect(claimed?.id).toBe(workOrder.id);
      await WorkOrder.complete(ctx, w.principalId, { workOrderId: workOrder.id });
      expect((await Task.get(ctx, task.id)).status).toBe("completed");
      // The history stays: the old work order is still there, failed.
      const history = await workOrdersOf(ctx, task.id);
      expect(history.map((h) => h.status)).toEqual(["failed", "completed"]);
    }
  });

  it("re-enqueueing a queued, in-progress or completed task is a conflict", async () => {
    const ctx = await testCtx("task-reenqueue-conflict");
    const w = await workerActor(ctx);
    const task = await Task.create(ctx, { title: "t" }, operator.name);
    await expect(WorkOrder.reenqueue(ctx, task.id, operator.name)).rejects.toMatchObject({
      kind: "conflict",
      code: "task.invalid_state",
    });
    const wo = (await WorkOrder.claimNext(ctx, w.principalId))!;
    await expect(WorkOrder.reenqueue(ctx, task.id, operator.name)).rejects.toMatchObject({
      kind: "conflict",
    });
    await WorkOrder.complete(ctx, w.principalId, { workOrderId: wo.id });
    await expect(WorkOrder.reenqueue(ctx, task.id, operator.name)).rejects.toMatchObject({
      kind: "conflict",
    });
    expect(await workOrdersOf(ctx, task.id)).toHaveLength(1);
    expect(await WorkOrder.claimNext(ctx, w.principalId)).toBeNull();
  });

  it("two re-enqueues at once make one work order", async () => {
    const ctx = await testCtx("task-reenqueue-race");
    const { w, task } = await cancelledTask(ctx);

    const results = await Promise.allSettled([
      WorkOrder.reenqueue(ctx, task.id, "a"),
      WorkOrder.reenqueue(ctx, task.id, "b"),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.find((r) => r.status === "rejected")).toMatchObject({ reason: { kind: "conflict" } });
    const queued = (await workOrdersOf(ctx, task.id)).filter((wo) => wo.status === "queued");
    expect(queued).toHaveLength(1);
    expect((await Task.get(ctx, task.id)).currentWorkOrderId).toBe(queued[0]!.id);
    expect((await WorkOrder.claimNext(ctx, w.principalId))?.id).toBe(queued[0]!.id);
    expect(await WorkOrder.claimNext(ctx, w.principalId)).toBeNull();
  });

  it("a worker claiming a re-enqueued task before re-enqueue returns works on it normally", async () => {
    const base = await testCtx("task-reenqueue-fast-claim");
    const { w, task } = await cancelledTask(base);
    let claimError: unknown;
    let claimed: string | undefined;
    const ctx: TestCtx = {
      ...base,
      queue: withAfterSend(base.queue, async () => {
        try {
          claimed = (await WorkOrder.claimNext(base, w.principalId))?.id;
        } catch (err) {
          claimError = err;
        }
      }),
    };
    const { workOrder } = await WorkOrder.reenqueue(ctx, task.id, operator.name);
    expect(claimError).toBeUndefined();
    expect(claimed).toBe(workOrder.id);
    const t = await Task.get(base, task.id);
    expect(t.status).toBe("in_progress");
    expect(t.workerId).toBe(w.principalId);
    await WorkOrder.complete(base, w.principalId, { workOrderId: workOrder.id });
    expect((await Task.get(base, task.id)).status).toBe("completed");
  });
});
