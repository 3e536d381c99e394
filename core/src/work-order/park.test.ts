import { describe, expect, it } from "vitest";
import { testCtx, workerActor } from "../../../test/context.ts";
import { answer, asking, parked } from "../../../test/park-fixtures.ts";
import { openSession } from "../../../test/work-order-fixtures.ts";
import type { Ctx } from "../context.ts";
import { sessionIdFor } from "../ids.ts";
import * as Session from "../session/service.ts";
import { workOrdersOf } from "../task/fixtures.ts";
import { WorkOrder } from "./index.ts";

const taskOf = async (ctx: Ctx, id: string) => (await ctx.db.task.get({ id }).go()).data!;
const executionsOf = async (ctx: Ctx, taskId: string) =>
  (await ctx.db.execution.query.byTask({ taskId }).go({ pages: "all" })).data;
const resumesOf = async (ctx: Ctx, taskId: string) =>
  (await workOrdersOf(ctx, taskId)).filter((wo) => wo.resume);

describe("park", () => {
  it("parks a held run: the task waits, its session and execution park, the worker is free", async () => {
    const ctx = await testCtx("park-state");
    const run = await parked(ctx);
    expect(run.result.resumed).toBe(false);
    expect(run.result.workOrder).toMatchObject({
      id: run.wo.id,
      status: "parked",
      leaseExpiresAt: null,
      park: {
        requestId: run.request.id,
        snapshotKey: run.snapshotKey,
        snapshotBytes: 11,
        sessionId: "session-of-a",
        parkedAt: new Date(ctx.clock.now()).toISOString(),
        resumedBy: null,
      },
      resume: null,
    });
    const task = await taskOf(ctx, run.task.id);
    expect(task).toMatchObject({ status: "waiting", currentWorkOrderId: run.wo.id });
    expect(task.workerId).toBeUndefined();
    const session = await Session.get(ctx, "session-of-a");
    expect(session).toMatchObject({ status: "parked", parkedAt: expect.any(String) });
    // A parked session is reaped when its park expires, not by the idle rule.
    expect(session.reapAt).toBe(new Date(ctx.clock.now() + ctx.config.parkMaxMs).toISOString());
    // The parked execution keeps what the run did and used up to the park.
    expect(await executionsOf(ctx, run.task.id)).toMatchObject([
      { status: "parked", inputTokens: 200, outputTokens: 40, turns: 2, transcript: "I need to ask." },
    ]);
    expect((await ctx.db.worker.get({ id: run.worker.principalId }).go()).data?.status).toBe("idle");
    // The request stays open, and the parked work order's message is gone: nothing to claim.
    expect((await ctx.db.question.get({ requestId: run.request.id }).go()).data).not.toBeNull();
    expect(await WorkOrder.claimNext(ctx, run.worker.principalId)).toBeNull();
  });

  it("the answer resumes it: a new work order on high, retryCount 0, the task waiting -> queued", async () => {
    const ctx = await testCtx("park-answer");
    const run = await parked(ctx);
    await answer(ctx, run);
    const [resume] = await resumesOf(ctx, run.task.id);
    expect(resume).toMatchObject({
      status: "queued",
      priority: "high",
      retryCount: 0,
      resume: {
        fromWorkOrderId: run.wo.id,
        sessionId: "session-of-a",
        snapshotKey: run.snapshotKey,
        requestId: run.request.id,
      },
    });
    expect(await taskOf(ctx, run.task.id)).toMatchObject({
      status: "queued",
      currentWorkOrderId: resume!.id,
    });
    expect((await WorkOrder.get(ctx, run.wo.id))?.park?.resumedBy).toBe(resume!.id);
  });

  it("an answer given before the park completes resumes it at once", async () => {
    const ctx = await testCtx("park-answered-first");
    const run = await asking(ctx);
    await answer(ctx, run);
    const result = await WorkOrder.park(ctx, run.worker.principalId, run.parkInput);
    expect(result.resumed).toBe(true);
    expect(result.workOrder.park?.resumedBy).toEqual(expect.any(String));
    const resumes = await resumesOf(ctx, run.task.id);
    expect(resumes.map((wo) => wo.id)).toEqual([result.workOrder.park?.resumedBy]);
    expect((await taskOf(ctx, run.task.id)).status).toBe("queued");
  });

  it("an answer and a park racing make exactly one resume", async () => {
    for (let i = 0; i < 3; i++) {
      const ctx = await testCtx(`park-race-${i}`);
      const run = await asking(ctx);
      await Promise.all([answer(ctx, run), WorkOrder.park(ctx, run.worker.principalId, run.parkInput)]);
      const parkedWo = (await WorkOrder.get(ctx, run.wo.id))!;
      // Both call resume again at once: still one.
      await Promise.all([WorkOrder.resume(ctx, parkedWo), WorkOrder.resume(ctx, parkedWo)]);
      expect(await resumesOf(ctx, run.task.id)).toHaveLength(1);
      expect((await taskOf(ctx, run.task.id)).status).toBe("queued");
    }
  });

  it("a claim of the resume says so; the session reopens on the new worker, its execution linked", async () => {
    const ctx = await testCtx("park-claim");
    const run = await parked(ctx);
    await answer(ctx, run);
    const b = await workerActor(ctx, "b");
    const claimed = await WorkOrder.claimNextWithTask(ctx, b.principalId);
    expect(claimed?.workOrder.resume).toEqual({
      fromWorkOrderId: run.wo.id,
      sessionId: "session-of-a",
      snapshotKey: run.snapshotKey,
      requestId: run.request.id,
    });
    expect(claimed?.task.status).toBe("in_progress");
    const session = await openSession(ctx, b, run.task.id, "session-of-a");
    expect(session).toMatchObject({
      id: sessionIdFor("session-of-a"),
      status: "active",
      workerId: b.principalId,
      parkedAt: null,
      resumedAt: new Date(ctx.clock.now()).toISOString(),
    });
    const [first, second] = (await executionsOf(ctx, run.task.id)).sort(
      (x, y) => x.startedAt.localeCompare(y.startedAt) || x.id.localeCompare(y.id),
    );
    expect(second).toMatchObject({ status: "running", resumedFrom: first!.id, workerId: b.principalId });
    expect(session.executionId).toBe(second!.id);
    // The run completes on the resume's work order; the snapshot it resumed from goes.
    await WorkOrder.complete(ctx, b.principalId, { workOrderId: claimed!.workOrder.id, output: "done" });
    expect((await taskOf(ctx, run.task.id)).status).toBe("completed");
    expect(await ctx.blob.get(run.snapshotKey)).toBeNull();
  });

  it("refuses a park by a non-holder (409), of an unknown request or a foreign key (400)", async () => {
    const ctx = await testCtx("park-refusals");
    const run = await asking(ctx);
    const other = await workerActor(ctx, "other");
    await expect(WorkOrder.park(ctx, other.principalId, run.parkInput)).rejects.toMatchObject({
      kind: "conflict",
      code: "workOrder.invalid_state",
    });
    await expect(
      WorkOrder.park(ctx, run.worker.principalId, { ...run.parkInput, requestId: "no-such-request" }),
    ).rejects.toMatchObject({ kind: "invalid", details: { fields: { requestId: expect.any(String) } } });
    await expect(
      WorkOrder.park(ctx, run.worker.principalId, { ...run.parkInput, snapshotKey: "snapshots/other/x" }),
    ).rejects.toMatchObject({ kind: "invalid", details: { fields: { snapshotKey: expect.any(String) } } });
    // Nothing was parked by the refusals; a second park of a parked work order is a conflict.
    await WorkOrder.park(ctx, run.worker.principalId, run.parkInput);
    await expect(WorkOrder.park(ctx, run.worker.principalId, run.parkInput)).rejects.toMatchObject({
      code: "workOrder.invalid_state",
    });
  });
});
