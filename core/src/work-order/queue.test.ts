import { describe, expect, it } from "vitest";
import { operator, testCtx, workerActor } from "../../../test/context.ts";
import * as Task from "../task/service.ts";
import { WorkOrder } from "./index.ts";

describe("queue", () => {
  it("creates, claims and completes a task", async () => {
    const ctx = await testCtx("queue-basic");
    const w = await workerActor(ctx);
    const task = await Task.create(ctx, { title: "Fix login", description: "x" }, operator.name);
    expect(task.status).toBe("queued");
    const wo = await WorkOrder.claimNext(ctx, w.principalId);
    expect(wo?.taskId).toBe(task.id);
    expect((await Task.get(ctx, task.id)).status).toBe("in_progress");
    expect(await WorkOrder.claimNext(ctx, w.principalId)).toBeNull();
    await WorkOrder.complete(ctx, w.principalId, { workOrderId: wo!.id, output: "done" });
    const done = await Task.get(ctx, task.id);
    expect(done.status).toBe("completed");
    const stats = await WorkOrder.stats(ctx);
    expect(stats.totals.visible + stats.totals.inFlight).toBe(0);
  });
});
