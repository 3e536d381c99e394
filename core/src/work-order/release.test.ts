import { describe, expect, it } from "vitest";
import { type TestCtx, testCtx } from "../../../test/context.ts";
import { claimedByA, openSession } from "../../../test/work-order-fixtures.ts";
import type * as Session from "../session/service.ts";
import * as Task from "../task/service.ts";
import { WorkOrder } from "./index.ts";

describe("release", () => {
  it("gives a claimed work order back to the queue at once, not as a retry", async () => {
    const ctx = await testCtx("release-basic");
    const { a, b, task, wo } = await claimedByA(ctx);
    const session = await openSession(ctx, a, task.id);

    await expect(WorkOrder.release(ctx, b.principalId, wo.id)).rejects.toMatchObject({ kind: "forbidden" });
    const released = await WorkOrder.release(ctx, a.principalId, wo.id);
    expect(released.status).toBe("queued");
    expect(released.workerId).toBeNull();
    const t = await Task.get(ctx, task.id);
    expect(t.status).toBe("queued");
    expect(t.workerId).toBeNull();
    expect((await ctx.db.execution.get({ id: session.executionId! }).go()).data?.status).toBe("failed");
    expect((await ctx.db.worker.get({ id: a.principalId }).go()).data?.status).toBe("idle");

    // Visible again at once (real SQS visibility): b takes it, with no retry counted.
    const again = await WorkOrder.claimNext(ctx, b.principalId);
    expect(again?.id).toBe(wo.id);
    expect(again?.retryCount).toBe(0);
    expect((await Task.get(ctx, task.id)).workerId).toBe(b.principalId);
  });

  it("a worker that claims the released work at once keeps its task and execution", async () => {
    const base = await testCtx("release-fast-claim");
    const { a, b, task, wo } = await claimedByA(base);
    await openSession(base, a, task.id);

    // b is fast: it receives the message the moment it is visible again and starts its session.
    let sessionOfB: Awaited<ReturnType<typeof Session.create>> | undefined;
    const fastB = async () => {
      const claimed = await WorkOrder.claimNext(base, b.principalId);
      expect(claimed?.id).toBe(wo.id);
      sessionOfB = await openSession(base, b, task.id, "sb");
    };
    const ctx: TestCtx = {
      ...base,
      queue: {
        ...base.queue,
        async setVisibility(priority, receipt, seconds) {
          const ok = await base.queue.setVisibility(priority, receipt, seconds);
          if (seconds === 0) await fastB();
          return ok;
        },
        async send(priority, message) {
          await base.queue.send(priority, message);
          await fastB();
        },
      },
    };
    await WorkOrder.release(ctx, a.principalId, wo.id);

    expect(sessionOfB).toBeDefined();
    const t = await Task.get(base, task.id);
    expect(t.status).toBe("in_progress");
    expect(t.workerId).toBe(b.principalId);
    expect((await ctx.db.execution.get({ id: sessionOfB!.executionId! }).go()).data?.status).toBe("running");
    await WorkOrder.complete(base, b.principalId, { workOrderId: wo.id });
    expect((await Task.get(base, task.id)).status).toBe("completed");
  });
});
