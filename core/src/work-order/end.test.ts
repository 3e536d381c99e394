import { describe, expect, it } from "vitest";
import { operator, testCtx, workerActor } from "../../../test/context.ts";
import * as Task from "../task/service.ts";
import { WorkOrder } from "./index.ts";

describe("the end of a work order", () => {
  it("frees its worker only while the worker holds it: the next work claimed first stays the worker's", async () => {
    const ctx = await testCtx("end-next-claimed");
    const worker = await workerActor(ctx, "w");
    await Task.create(ctx, { title: "first" }, operator.name);
    await Task.create(ctx, { title: "second" }, operator.name);
    const last = (await WorkOrder.claimNext(ctx, worker.principalId))!;
    // The worker takes its next work while the last one's completion is still on its way.
    const next = (await WorkOrder.claimNext(ctx, worker.principalId))!;
    const record = async () => (await ctx.db.worker.get({ id: worker.principalId }).go()).data;

    await WorkOrder.complete(ctx, worker.principalId, { workOrderId: last.id, output: "done" });
    expect(await record()).toMatchObject({
      status: "busy",
      currentWorkOrderId: next.id,
      currentTaskId: next.taskId,
    });
    expect((await Task.get(ctx, last.taskId)).status).toBe("completed");

    await WorkOrder.fail(ctx, worker.principalId, { workOrderId: next.id, reason: "no" });
    const freed = await record();
    expect(freed?.status).toBe("idle");
    expect(freed?.currentWorkOrderId).toBeUndefined();
  });
});
