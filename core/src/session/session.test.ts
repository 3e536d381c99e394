import { describe, expect, it } from "vitest";
import { operator, type TestCtx, testCtx, workerActor } from "../../../test/context.ts";
import { watchedCtx } from "../../../test/watched-ctx.ts";
import { openSession } from "../../../test/work-order-fixtures.ts";
import * as Auth from "../auth/service.ts";
import * as Chat from "../chat/service.ts";
import type { Actor } from "../context.ts";
import * as Execution from "../execution/service.ts";
import * as Realtime from "../realtime/service.ts";
import * as Task from "../task/service.ts";
import { WorkOrder as Queue } from "../work-order/index.ts";
import { ListSessionsQuery } from "./schema.ts";
import * as Session from "./service.ts";

const MIN = 60_000;

/** A worker holding a freshly claimed task, with a realtime connection for the worker and one for a person. */
const workingWorker = async (ctx: TestCtx) => {
  const worker = await workerActor(ctx, "w1");
  expect(await Realtime.connect(ctx, "c-worker", await Auth.issueTicket(ctx, worker))).not.toBeNull();
  expect(
    await Realtime.connect(ctx, "c-human", await Auth.issueTicket(ctx, { ...operator, role: "operator" })),
  ).not.toBeNull();
  const task = await Task.create(ctx, { title: "Refactor" }, operator.name);
  const wo = (await Queue.claimNext(ctx, worker.principalId))!;
  expect(wo.taskId).toBe(task.id);
  return { worker, task, wo };
};

const sessionEvents = (ctx: TestCtx, connectionId: string) =>
  ctx.pushed
    .filter((p) => p.connectionId === connectionId && p.event.type === "session.updated")
    .map((p) => p.event.data as { id: string; status: string; terminationReason: string | null });

const workerItem = async (ctx: TestCtx, id: string) => (await ctx.db.worker.get({ id }).go()).data;

describe("session lifecycle (keep-alive)", () => {
  it("an idle session is reaped after 30 minutes: task failed, worker idle and told", async () => {
    const ctx = await testCtx("session-reap-idle");
    const { worker, task, wo } = await workingWorker(ctx);
    const session = await openSession(ctx, worker, task.id, "claude-abc");
    expect(session).toMatchObject({ status: "active", taskId: task.id, workerId: worker.principalId });
    expect(session.executionId).not.toBeNull();
    const execution = (await ctx.db.execution.get({ id: session.executionId! }).go()).data;
    expect(execution).toMatchObject({ status: "running", workOrderId: wo.id, sessionId: "claude-abc" });
    expect(session.reapAt).toBe(new Date(ctx.clock.now() + 30 * MIN).toISOString());

    ctx.clock.advance(29 * MIN);
    expect(await Session.reap(ctx)).toEqual([]);
    await Session.heartbeat(ctx, worker, session.id);

    ctx.clock.advance(29 * MIN);
    expect(await Session.reap(ctx)).toEqual([]);
    ctx.clock.advance(2 * MIN);
    ctx.pushed.length = 0;
    expect(await Session.reap(ctx)).toEqual([session.id]);

    const ended = await Session.get(ctx, session.id);
    expect(ended.status).toBe("terminated");
    expect(ended.terminationReason).toBe("Idle for 31 min (limit 30 min)");
    expect(ended.terminatedAt).toBe(new Date(ctx.clock.now()).toISOString());
    expect(ended.reapAt).toBeNull();

    const failedWo = await Queue.load(ctx, wo.id);
    expect(failedWo.status).toBe("failed");
    expect(failedWo.failureReason).toBe("Session terminated: Idle for 31 min (limit 30 min)");
    const t = await Task.get(ctx, task.id);
    expect(t.status).toBe("failed");
    expect(t.failureReason).toBe("Session terminated: Idle for 31 min (limit 30 min)");
    expect((await ctx.db.execution.get({ id: session.executionId! }).go()).data?.status).toBe("failed");
    const w = await workerItem(ctx, worker.principalId);
    expect(w?.status).toBe("idle");
    expect(w?.currentTaskId).toBeUndefined();

    // The worker and the people watching were told.
    for (const connectionId of ["c-worker", "c-human"]) {
      expect(sessionEvents(ctx, connectionId)).toContainEqual(
        expect.objectContaining({
          id: session.id,
          status: "terminated",
          terminationReason: "Idle for 31 min (limit 30 min)",
        }),
      );
    }
    // A task event reached the person, not the worker connection.
    const taskEvents = ctx.pushed.filter((p) => p.event.type === "task.updated");
    expect(taskEvents.map((p) => p.connectionId)).toContain("c-human");
    expect(taskEvents.map((p) => p.connectionId)).not.toContain("c-worker");

    // Reaping again finds nothing; the task can be re-enqueued by a person.
    expect(await Session.reap(ctx)).toEqual([]);
    const { workOrder } = await Queue.reenqueue(ctx, task.id, operator.name);
    expect((await Queue.claimNext(ctx, worker.principalId))?.id).toBe(workOrder.id);
  });

  it("a session with regular activity is still reaped at its maximum age of 1 hour", async () => {
    const ctx = await testCtx("session-reap-age");
    const { worker, task, wo } = await workingWorker(ctx);
    const session = await openSession(ctx, worker, task.id, "claude-old");
    for (let minute = 10; minute <= 60; minute += 10) {
      ctx.clock.advance(10 * MIN);
      await Queue.renewLease(ctx, worker.principalId, wo.id);
      await Session.heartbeat(ctx, worker, session.id);
      expect(await Session.reap(ctx), `minute ${minute}`).toEqual([]);
    }
    ctx.clock.advance(1);
    expect(await Session.reap(ctx)).toEqual([session.id]);
    const ended = await Session.get(ctx, session.id);
    expect(ended.status).toBe("terminated");
    expect(ended.terminationReason).toMatch(/^Older than 60 min/);
    expect((await Task.get(ctx, task.id)).failureReason).toMatch(/^Session terminated: Older than 60 min/);
    expect((await workerItem(ctx, worker.principalId))?.status).toBe("idle");
  });

  it("a session outlives its completed task as idle, and is reaped without touching the task", async () => {
    const ctx = await testCtx("session-after-complete");
    const { worker, task, wo } = await workingWorker(ctx);
    const session = await openSession(ctx, worker, task.id, "claude-done");
    ctx.clock.advance(5 * MIN);
    await Queue.complete(ctx, worker.principalId, { workOrderId: wo.id, output: "all good" });
    const idle = await Session.get(ctx, session.id);
    expect(idle.status).toBe("idle");
    expect(idle.lastActivityAt).toBe(new Date(ctx.clock.now()).toISOString());
    expect((await ctx.db.execution.get({ id: session.executionId! }).go()).data).toMatchObject({
      status: "completed",
      output: "all good",
      progress: 100,
    });

    ctx.clock.advance(30 * MIN + 1);
    expect(await Session.reap(ctx)).toEqual([session.id]);
    expect((await Session.get(ctx, session.id)).status).toBe("terminated");
    expect((await Task.get(ctx, task.id)).status).toBe("completed");
    expect((await Queue.load(ctx, wo.id)).status).toBe("completed");
  });

  it("terminate by a person fails the running work; a second terminate is a conflict", async () => {
    const ctx = await testCtx("session-terminate");
    const { worker, task } = await workingWorker(ctx);
    const session = await openSession(ctx, worker, task.id, "claude-stop");
    const ended = await Session.terminate(ctx, session.id, "Stopped by Olivia");
    expect(ended).toMatchObject({ status: "terminated", terminationReason: "Stopped by Olivia" });
    expect((await Task.get(ctx, task.id)).failureReason).toBe("Session terminated: Stopped by Olivia");
    await expect(Session.terminate(ctx, session.id, "again")).rejects.toMatchObject({
      kind: "conflict",
      code: "session.terminated",
    });
    await expect(Session.heartbeat(ctx, worker, session.id)).rejects.toMatchObject({
      kind: "conflict",
      code: "session.terminated",
    });
    expect((await Session.get(ctx, session.id)).terminationReason).toBe("Stopped by Olivia");
  });

  it("after a takeover, the lost worker's execution ends and its session's end spares the new holder", async () => {
    const ctx = await testCtx("session-takeover");
    const { worker: a, task, wo } = await workingWorker(ctx);
    const b = await workerActor(ctx, "w2");
    const sa = await openSession(ctx, a, task.id);
    ctx.clock.advance(ctx.config.leaseMs + 1);
    const taken = await Queue.claimById(ctx, b.principalId, wo.id);
    expect(taken.retryCount).toBe(1);
    expect((await ctx.db.execution.get({ id: sa.executionId! }).go()).data?.status).toBe("failed");
    const sb = await openSession(ctx, b, task.id, "sb");

    await Session.terminate(ctx, sa.id, "Stopped by Olivia");
    const held = await Queue.load(ctx, wo.id);
    expect(held).toMatchObject({ status: "claimed", workerId: b.principalId });
    expect((await Task.get(ctx, task.id)).status).toBe("in_progress");
    expect((await ctx.db.execution.get({ id: sb.executionId! }).go()).data?.status).toBe("running");
    expect((await workerItem(ctx, b.principalId))?.status).toBe("busy");
  });

  it("chat and progress from the agent are activity that keeps its session alive", async () => {
    const ctx = await testCtx("session-activity");
    const { worker, task } = await workingWorker(ctx);
    const session = await openSession(ctx, worker, task.id, "claude-chatty");
    ctx.clock.advance(25 * MIN);
    await Chat.note(ctx, worker, { conversationId: task.id, message: "progress: 50%" });
    ctx.clock.advance(25 * MIN);
    expect(await Session.reap(ctx)).toEqual([]);
    expect((await Session.get(ctx, session.id)).lastActivityAt).toBe(
      new Date(ctx.clock.now() - 25 * MIN).toISOString(),
    );
  });
});

describe("sessions", () => {
  it("a duplicate sessionId is a conflict", async () => {
    const ctx = await testCtx("session-duplicate");
    const worker = await workerActor(ctx);
    const first = await Session.create(ctx, worker, { sessionId: "s-1", workerId: worker.principalId });
    await expect(
      Session.create(ctx, worker, { sessionId: "s-1", workerId: worker.principalId }),
    ).rejects.toMatchObject({ kind: "conflict", code: "session.exists", details: { id: first.id } });
    const page = await Session.list(ctx, ListSessionsQuery.parse({}));
    expect(page.items.map((s) => s.id)).toEqual([first.id]);
  });

  it("a task cancelled while its session opens: the session and execution just written end, the worker is refused", async () => {
    const watched = watchedCtx(await testCtx("session-open-race"));
    const { ctx } = watched;
    const { worker, task } = await workingWorker(ctx);
    // The open reads the work order as claimed; the cancel lands before the open writes anything,
    // so the cancel finds no execution to stop.
    const hold = watched.holdNext((op) => op.entity === "workorder" && op.command === "GetItemCommand");
    const opening = openSession(ctx, worker, task.id, "s-race");
    opening.catch(() => {});
    await hold.arrived;
    await Task.update(ctx, task.id, { status: "cancelled" }, "Olivia");
    hold.release();
    await expect(opening).rejects.toMatchObject({ code: "session.forbidden" });
    await expect(opening).rejects.toThrow("Cancelled by Olivia");
    const session = await Session.get(ctx, "s-race");
    expect(session).toMatchObject({ status: "terminated" });
    expect(session.terminationReason).toMatch(/^The work ended as the session opened: Cancelled by Olivia/);
    const executions = await Execution.listByTask(ctx, task.id, { limit: 10 });
    expect(executions.items.map((e) => e.status)).toEqual(["failed"]);
    expect((await Task.get(ctx, task.id)).status).toBe("cancelled");
  });

  it("a duplicate sessionId on a held task is a conflict that leaves no execution behind", async () => {
    const ctx = await testCtx("session-duplicate-task");
    const { worker, task } = await workingWorker(ctx);
    const first = await openSession(ctx, worker, task.id, "s-task");
    await expect(openSession(ctx, worker, task.id, "s-task")).rejects.toMatchObject({
      code: "session.exists",
    });
    const executions = await Execution.listByTask(ctx, task.id, { limit: 10 });
    expect(executions.items.map((e) => e.id)).toEqual([first.executionId]);
    expect((await Session.get(ctx, first.id)).executionId).toBe(first.executionId);
  });

  it("is found by its id and by the agent's sessionId", async () => {
    const ctx = await testCtx("session-get");
    const worker = await workerActor(ctx);
    const created = await Session.create(ctx, worker, {
      sessionId: "agent-xyz",
      workerId: worker.principalId,
    });
    expect(created.sessionId).toBe("agent-xyz");
    expect(created.taskId).toBeNull();
    expect(created.executionId).toBeNull();
    expect(await Session.get(ctx, created.id)).toEqual(created);
    expect(await Session.get(ctx, "agent-xyz")).toEqual(created);
    await expect(Session.get(ctx, "unknown")).rejects.toMatchObject({
      kind: "not_found",
      code: "session.not_found",
    });
  });

  it("lists newest first, by status", async () => {
    const ctx = await testCtx("session-list");
    const worker = await workerActor(ctx);
    const ids: string[] = [];
    for (const n of [1, 2, 3]) {
      ids.push((await Session.create(ctx, worker, { sessionId: `s-${n}`, workerId: worker.principalId })).id);
      ctx.clock.advance(1000);
    }
    await Session.terminate(ctx, ids[1]!, "done");
    const list = async (q: Record<string, unknown>) =>
      (await Session.list(ctx, ListSessionsQuery.parse(q))).items.map((s) => s.id);
    expect(await list({})).toEqual([ids[2], ids[1], ids[0]]);
    expect(await list({ status: "active" })).toEqual([ids[2], ids[0]]);
    expect(await list({ status: "terminated" })).toEqual([ids[1]]);
    expect(await list({ status: "idle" })).toEqual([]);
    const first = await Session.list(ctx, ListSessionsQuery.parse({ limit: 2 }));
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).not.toBeNull();
    const second = await Session.list(ctx, ListSessionsQuery.parse({ limit: 2, cursor: first.nextCursor }));
    expect(second.items.map((s) => s.id)).toEqual([ids[0]]);
  });

  it("a worker opens sessions only for itself and only on a task it holds", async () => {
    const ctx = await testCtx("session-forbidden");
    const a = await workerActor(ctx, "a");
    const b = await workerActor(ctx, "b");
    const task = await Task.create(ctx, { title: "t" }, operator.name);
    await expect(Session.create(ctx, a, { sessionId: "s", workerId: b.principalId })).rejects.toMatchObject({
      kind: "forbidden",
    });
    // Not claimed by anyone yet.
    await expect(
      Session.create(ctx, a, { sessionId: "s", workerId: a.principalId, taskId: task.id }),
    ).rejects.toMatchObject({ kind: "forbidden" });
    // An unknown task is named as such, not refused as someone else's.
    await expect(
      Session.create(ctx, a, { sessionId: "s", workerId: a.principalId, taskId: "no-such-task" }),
    ).rejects.toMatchObject({ kind: "not_found", code: "task.not_found" });
    await Queue.claimNext(ctx, a.principalId);
    await expect(
      Session.create(ctx, b, { sessionId: "s", workerId: b.principalId, taskId: task.id }),
    ).rejects.toMatchObject({ kind: "forbidden" });
    expect((await Session.list(ctx, ListSessionsQuery.parse({}))).items).toEqual([]);
    // The refused attempts left the sessionId free for the holder.
    const ok = await openSession(ctx, a, task.id, "s");
    expect(ok.taskId).toBe(task.id);
    const other: Actor = b;
    await expect(Session.heartbeat(ctx, other, ok.id)).rejects.toMatchObject({ kind: "forbidden" });
    // A person may keep it alive.
    ctx.clock.advance(MIN);
    const kept = await Session.heartbeat(ctx, operator, ok.id);
    expect(kept.lastActivityAt).toBe(new Date(ctx.clock.now()).toISOString());
  });
});
