import { describe, expect, it } from "vitest";
import { operator, type TestCtx, testCtx, workerActor } from "../../../test/context.ts";
import { on, watchedCtx } from "../../../test/watched-ctx.ts";
import * as Auth from "../auth/service.ts";
import type { ReceivedMessage, WorkOrderMessage } from "../ports/queue.ts";
import * as Realtime from "../realtime/service.ts";
import * as Task from "../task/service.ts";
import * as Worker from "../worker/service.ts";
import { WorkOrder } from "./index.ts";

/** The next message of the normal queue, as a worker receives it. */
const received = async (ctx: TestCtx) => {
  const [m] = await ctx.queue.receive("normal", { waitSeconds: 0, visibilitySeconds: 60 });
  if (!m) throw new Error("no message was delivered");
  return m;
};

/** A worker's claim of a delivery, passing on what its message says (`body`: another message's). */
const claim = (ctx: TestCtx, workerId: string, m: ReceivedMessage, body: WorkOrderMessage = m.body) =>
  WorkOrder.claimWithTask(ctx, workerId, body.workOrderId, {
    ...body,
    receiptHandle: m.receiptHandle,
    priority: m.priority,
  });

const commands = (ops: { command: string }[]) => ops.map((op) => op.command);
const claimLost = { kind: "conflict", code: "workOrder.claim_lost" };

describe("claim from the message (no read first)", () => {
  it("a queued work order is taken by its deciding write alone, then the task and worker written unread", async () => {
    const { ctx, ops } = watchedCtx(await testCtx("claim-msg-queued"));
    const w = await workerActor(ctx);
    const task = await Task.create(ctx, { title: "fast" }, operator.name);
    const m = await received(ctx);
    expect(m.body).toEqual({
      workOrderId: task.currentWorkOrderId,
      taskId: task.id,
      enqueuedAt: expect.any(String),
      taskCreatedAt: task.createdAt,
    });

    ops.length = 0;
    const claimed = await claim(ctx, w.principalId, m);
    expect(commands(on(ops, "workorder"))).toEqual(["UpdateItemCommand"]);
    expect(commands(on(ops, "task"))).toEqual(["UpdateItemCommand"]);
    expect(commands(on(ops, "worker"))).toEqual(["UpdateItemCommand"]);
    expect(claimed.workOrder).toMatchObject({
      id: task.currentWorkOrderId,
      taskId: task.id,
      status: "claimed",
      workerId: w.principalId,
      retryCount: 0,
    });
    expect(claimed.task).toMatchObject({ id: task.id, status: "in_progress", workerId: w.principalId });

    const stored = await WorkOrder.load(ctx, claimed.workOrder.id);
    expect(stored).toMatchObject({ status: "claimed", receiptHandle: m.receiptHandle });
    // Filed under its new status by the enqueuedAt the message carried.
    const byStatus = await ctx.db.workOrder.query.byStatus({ status: "claimed" }).go();
    expect(byStatus.data.map((wo) => wo.id)).toEqual([stored.id]);
    expect((await ctx.db.worker.get({ id: w.principalId }).go()).data?.status).toBe("busy");
    // The task as its write returned it, filed under its new status.
    expect(claimed.task).toEqual({
      ...task,
      status: "in_progress",
      workerId: w.principalId,
      updatedAt: expect.any(String),
    });
    const inProgress = await ctx.db.task.query.byStatus({ status: "in_progress" }).go();
    expect(inProgress.data.map((t) => t.id)).toEqual([task.id]);
  });

  it("a message whose taskCreatedAt is not the task's own is refused by the write: the task is read, its index kept right", async () => {
    const { ctx, ops } = watchedCtx(await testCtx("claim-msg-created"));
    const w = await workerActor(ctx);
    const task = await Task.create(ctx, { title: "odd creation" }, operator.name);
    const m = await received(ctx);
    ops.length = 0;
    const claimed = await claim(ctx, w.principalId, m, {
      ...m.body,
      taskCreatedAt: "2000-01-01T00:00:00.000Z",
    });
    expect(commands(on(ops, "task"))).toEqual(["UpdateItemCommand", "GetItemCommand", "UpdateItemCommand"]);
    expect(claimed.task).toMatchObject({ id: task.id, status: "in_progress", createdAt: task.createdAt });
    const inProgress = await ctx.db.task.query.byStatus({ status: "in_progress" }).go();
    expect(inProgress.data.map((t) => [t.id, t.createdAt])).toEqual([[task.id, task.createdAt]]);
  });

  it("a message sent before it carried taskId and enqueuedAt is claimed as before: read first", async () => {
    const { ctx, ops } = watchedCtx(await testCtx("claim-msg-old"));
    const w = await workerActor(ctx);
    const task = await Task.create(ctx, { title: "old message" }, operator.name);
    const m = await received(ctx);
    ops.length = 0;
    const claimed = await claim(ctx, w.principalId, m, { workOrderId: m.body.workOrderId, taskId: task.id });
    expect(commands(on(ops, "workorder"))).toEqual(["GetItemCommand", "UpdateItemCommand"]);
    expect(claimed.task).toMatchObject({ id: task.id, status: "in_progress" });
  });

  it("a message whose enqueuedAt does not match is refused by the write, then claimed from a read", async () => {
    const { ctx, ops } = watchedCtx(await testCtx("claim-msg-mismatch"));
    const w = await workerActor(ctx);
    await Task.create(ctx, { title: "odd message" }, operator.name);
    const m = await received(ctx);
    ops.length = 0;
    const wrong = { ...m.body, enqueuedAt: "2000-01-01T00:00:00.000Z" };
    const claimed = await claim(ctx, w.principalId, m, wrong);
    expect(commands(on(ops, "workorder"))).toEqual([
      "UpdateItemCommand",
      "GetItemCommand",
      "UpdateItemCommand",
    ]);
    expect(claimed.workOrder.enqueuedAt).toBe(m.body.enqueuedAt);
    const byStatus = await ctx.db.workOrder.query.byStatus({ status: "claimed" }).go();
    expect(byStatus.data.map((wo) => wo.enqueuedAt)).toEqual([m.body.enqueuedAt]);
  });

  it("held: a second delivery of claimed work loses; its receipt becomes the holder's", async () => {
    const ctx = await testCtx("claim-msg-held");
    const [a, b] = [await workerActor(ctx, "a"), await workerActor(ctx, "b")];
    await Task.create(ctx, { title: "held" }, operator.name);
    const first = await received(ctx);
    await claim(ctx, a.principalId, first);
    await ctx.queue.send("normal", first.body);
    const second = await received(ctx);
    await expect(claim(ctx, b.principalId, second)).rejects.toMatchObject(claimLost);
    const stored = await WorkOrder.load(ctx, first.body.workOrderId);
    expect(stored).toMatchObject({
      workerId: a.principalId,
      retryCount: 0,
      receiptHandle: second.receiptHandle,
    });
  });

  it("taken over: after the lease, another delivery is claimed with retryCount 1", async () => {
    const ctx = await testCtx("claim-msg-takeover");
    const [a, b] = [await workerActor(ctx, "a"), await workerActor(ctx, "b")];
    const task = await Task.create(ctx, { title: "lost worker" }, operator.name);
    const first = await received(ctx);
    await claim(ctx, a.principalId, first);
    ctx.clock.advance(ctx.config.leaseMs + 1);
    await ctx.queue.send("normal", first.body);
    const claimed = await claim(ctx, b.principalId, await received(ctx));
    expect(claimed.workOrder).toMatchObject({ workerId: b.principalId, retryCount: 1 });
    expect(claimed.task).toMatchObject({ id: task.id, status: "in_progress", workerId: b.principalId });
  });

  it("finished: a delivery of completed work loses and its message is deleted", async () => {
    const ctx = await testCtx("claim-msg-finished");
    const [a, b] = [await workerActor(ctx, "a"), await workerActor(ctx, "b")];
    await Task.create(ctx, { title: "done" }, operator.name);
    const first = await received(ctx);
    await claim(ctx, a.principalId, first);
    await WorkOrder.complete(ctx, a.principalId, { workOrderId: first.body.workOrderId });
    await ctx.queue.send("normal", first.body);
    await expect(claim(ctx, b.principalId, await received(ctx))).rejects.toMatchObject(claimLost);
    expect((await ctx.queue.depth()).normal).toEqual({ visible: 0, inFlight: 0, dead: 0 });
    expect((await WorkOrder.load(ctx, first.body.workOrderId)).status).toBe("completed");
  });

  it("lost: of two claimers racing with the message, one wins and only its claim is pushed", async () => {
    const ctx = await testCtx("claim-msg-race");
    await Realtime.connect(ctx, "c-person", await Auth.issueTicket(ctx, { ...operator, role: "operator" }));
    const [a, b] = [await workerActor(ctx, "a"), await workerActor(ctx, "b")];
    const task = await Task.create(ctx, { title: "contested" }, operator.name);
    const first = await received(ctx);
    await ctx.queue.send("normal", first.body);
    const second = await received(ctx);
    ctx.pushed.length = 0;
    const results = await Promise.allSettled([
      claim(ctx, a.principalId, first),
      claim(ctx, b.principalId, second),
    ]);
    const won = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    expect(won).toHaveLength(1);
    const lost = results.find((r) => r.status === "rejected");
    expect(lost?.reason).toMatchObject(claimLost);
    const winner = won[0]?.workOrder.workerId;
    expect((await Task.get(ctx, task.id)).workerId).toBe(winner);
    const inProgress = ctx.pushed.filter(
      (p) => p.event.type === "task.updated" && (p.event.data as { status: string }).status === "in_progress",
    );
    expect(inProgress.map((p) => (p.event.data as { workerId: string }).workerId)).toEqual([winner]);
  });

  it("a worker deregistered under a token still valid elsewhere: 404, and the work goes back to the queue", async () => {
    const ctx = await testCtx("claim-msg-gone");
    const gone = await workerActor(ctx, "gone");
    const task = await Task.create(ctx, { title: "not for a ghost" }, operator.name);
    await Worker.deregister(ctx, gone.principalId);
    const m = await received(ctx);
    await expect(claim(ctx, gone.principalId, m)).rejects.toMatchObject({ kind: "not_found" });
    expect(await WorkOrder.load(ctx, m.body.workOrderId)).toMatchObject({ status: "queued", retryCount: 0 });
    const back = await Task.get(ctx, task.id);
    expect(back.status).toBe("queued");
    expect(back.workerId ?? null).toBeNull();
    const other = await workerActor(ctx, "other");
    const claimed = await claim(ctx, other.principalId, await received(ctx));
    expect(claimed.workOrder.workerId).toBe(other.principalId);
  });
});
