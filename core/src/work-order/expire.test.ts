import { describe, expect, it } from "vitest";
import { operator, testCtx } from "../../../test/context.ts";
import { answer, parked } from "../../../test/park-fixtures.ts";
import type { Ctx } from "../context.ts";
import * as Session from "../session/service.ts";
import * as Task from "../task/service.ts";
import { WorkOrder } from "./index.ts";

const HOUR = 3_600_000;
const taskOf = async (ctx: Ctx, id: string) => (await ctx.db.task.get({ id }).go()).data!;
const messageOf = async (ctx: Ctx, conversationId: string, id: string) =>
  (await ctx.db.chatMessage.get({ conversationId, id }).go()).data!;
const executionStatuses = async (ctx: Ctx, taskId: string) =>
  (await ctx.db.execution.query.byTask({ taskId }).go({ pages: "all" })).data.map((e) => e.status);

/** Everything a parked run leaves behind is closed: request, session, execution, snapshot. */
const expectClosed = async (ctx: Ctx, run: Awaited<ReturnType<typeof parked>>, reason: string) => {
  expect(await messageOf(ctx, run.task.id, run.request.id)).toMatchObject({
    closedAt: expect.any(String),
    closedReason: expect.stringContaining(reason),
  });
  expect((await ctx.db.question.get({ requestId: run.request.id }).go()).data).toBeNull();
  expect(await Session.get(ctx, "session-of-a")).toMatchObject({
    status: "terminated",
    terminationReason: expect.stringContaining(reason),
  });
  expect(await executionStatuses(ctx, run.task.id)).toEqual(["failed"]);
  expect(await ctx.blob.get(run.snapshotKey)).toBeNull();
};

describe("parked runs that never resume", () => {
  it("the idle rule leaves a parked session alone; parkMaxMs unanswered fails the task with the reason", async () => {
    const ctx = await testCtx("park-expire", { parkMaxMs: 24 * HOUR });
    const run = await parked(ctx);
    ctx.clock.advance(24 * HOUR - 1);
    expect(await Session.reap(ctx)).toEqual([]);
    expect(await WorkOrder.expireParked(ctx)).toBe(0);
    expect((await taskOf(ctx, run.task.id)).status).toBe("waiting");
    expect((await Session.get(ctx, "session-of-a")).status).toBe("parked");
    expect(await ctx.blob.get(run.snapshotKey)).not.toBeNull();

    ctx.clock.advance(1);
    expect(await WorkOrder.expireParked(ctx)).toBe(1);
    const reason = "Parked 24 h with no answer (limit 24 h)";
    expect(await taskOf(ctx, run.task.id)).toMatchObject({ status: "failed", failureReason: reason });
    expect(await WorkOrder.get(ctx, run.wo.id)).toMatchObject({ status: "failed", failureReason: reason });
    await expectClosed(ctx, run, reason);
    // Once expired it is not expired again, and a late answer is refused: the request is closed.
    expect(await WorkOrder.expireParked(ctx)).toBe(0);
    await expect(answer(ctx, run)).rejects.toMatchObject({ code: "chat.question_closed" });
  });

  it("a waiting task can be cancelled: its parked run is closed the same way", async () => {
    const ctx = await testCtx("park-cancel");
    const run = await parked(ctx);
    const cancelled = await Task.update(ctx, run.task.id, { status: "cancelled" }, operator.name);
    expect(cancelled.status).toBe("cancelled");
    expect((await WorkOrder.get(ctx, run.wo.id))?.status).toBe("failed");
    await expectClosed(ctx, run, `Cancelled by ${operator.name}`);
    expect(await ctx.db.workOrder.query.byTask({ taskId: run.task.id }).go()).toMatchObject({
      data: [expect.objectContaining({ id: run.wo.id })],
    });
  });

  it("terminating a parked session fails its task: the run could never resume", async () => {
    const ctx = await testCtx("park-terminate");
    const run = await parked(ctx);
    // A keep-alive does not wake it: only a resume opens it again.
    await Session.heartbeat(ctx, operator, "session-of-a");
    expect((await Session.get(ctx, "session-of-a")).status).toBe("parked");
    await Session.terminate(ctx, "session-of-a", "not needed");
    expect(await taskOf(ctx, run.task.id)).toMatchObject({
      status: "failed",
      failureReason: "Session terminated: not needed",
    });
    await expectClosed(ctx, run, "not needed");
  });

  it("cancelling a resume nobody has claimed yet closes the parked session and snapshot too", async () => {
    const ctx = await testCtx("park-cancel-resumed");
    const run = await parked(ctx);
    await answer(ctx, run);
    expect((await taskOf(ctx, run.task.id)).status).toBe("queued");
    await Task.update(ctx, run.task.id, { status: "cancelled" }, operator.name);
    expect((await taskOf(ctx, run.task.id)).status).toBe("cancelled");
    expect((await Session.get(ctx, "session-of-a")).status).toBe("terminated");
    expect(await executionStatuses(ctx, run.task.id)).toEqual(["failed"]);
    expect(await ctx.blob.get(run.snapshotKey)).toBeNull();
  });
});
