import { describe, expect, it } from "vitest";
import { operator, testCtx, workerActor } from "../../../test/context.ts";
import { claimedByA } from "../../../test/work-order-fixtures.ts";
import * as Auth from "../auth/service.ts";
import * as Realtime from "../realtime/service.ts";
import * as Task from "../task/service.ts";
import { WorkOrder } from "./index.ts";
import type { WorkOrderInfo } from "./schema.ts";

describe("claim", () => {
  it("20 concurrent claimers over 200 tasks: each work order claimed once, all completed once", async () => {
    const ctx = await testCtx("claim-atomic");
    const TASKS = 200;
    const WORKERS = 20;

    const created: string[] = [];
    for (let i = 0; i < TASKS; i += 25) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(25, TASKS - i) }, (_, j) =>
          Task.create(ctx, { title: `task ${i + j}` }, operator.name),
        ),
      );
      created.push(...batch.map((t) => t.id));
    }
    const workers = await Promise.all(Array.from({ length: WORKERS }, (_, i) => workerActor(ctx, `w${i}`)));

    // Each worker claims in a loop until the queues are empty; every claim is recorded.
    const claims: { workerId: string; wo: WorkOrderInfo }[] = [];
    await Promise.all(
      workers.map(async (w) => {
        for (;;) {
          const wo = await WorkOrder.claimNext(ctx, w.principalId);
          if (!wo) return;
          claims.push({ workerId: w.principalId, wo });
        }
      }),
    );

    expect(claims).toHaveLength(TASKS);
    expect(new Set(claims.map((c) => c.wo.id)).size).toBe(TASKS);
    expect(new Set(claims.map((c) => c.wo.taskId))).toEqual(new Set(created));
    // The work spread over the workers: the claims were really concurrent.
    expect(new Set(claims.map((c) => c.workerId)).size).toBeGreaterThan(1);
    for (const c of claims) {
      expect(c.wo.status).toBe("claimed");
      expect(c.wo.workerId).toBe(c.workerId);
      expect(c.wo.retryCount).toBe(0);
    }

    // Every claimer completes what it claimed, concurrently.
    await Promise.all(
      workers.map(async (w) => {
        for (const c of claims.filter((c) => c.workerId === w.principalId))
          await WorkOrder.complete(ctx, w.principalId, { workOrderId: c.wo.id, output: "ok" });
      }),
    );

    // DynamoDB: every task completed, each by exactly one work order, completed exactly once.
    const tasks = await ctx.db.task.query.byStatus({ status: "completed" }).go({ pages: "all" });
    expect(new Set(tasks.data.map((t) => t.id))).toEqual(new Set(created));
    const done = await ctx.db.workOrder.query.byStatus({ status: "completed" }).go({ pages: "all" });
    expect(done.data).toHaveLength(TASKS);
    expect(new Set(done.data.map((wo) => wo.taskId)).size).toBe(TASKS);
    for (const status of ["queued", "claimed", "failed"] as const) {
      const rest = await ctx.db.workOrder.query.byStatus({ status }).go({ pages: "all" });
      expect(rest.data, `work orders ${status}`).toHaveLength(0);
    }
    const timeline = await ctx.db.activity.query.timeline({}).go({ pages: "all" });
    const completions = timeline.data.filter((a) => a.type === "task.completed").map((a) => a.taskId);
    expect(completions).toHaveLength(TASKS);
    expect(new Set(completions)).toEqual(new Set(created));
    // Every worker is idle again and the queues are empty.
    for (const w of workers) {
      const { data } = await ctx.db.worker.get({ id: w.principalId }).go();
      expect(data?.status).toBe("idle");
      expect(data?.currentWorkOrderId).toBeUndefined();
    }
    const stats = await WorkOrder.stats(ctx);
    expect(stats.totals).toEqual({ visible: 0, inFlight: 0, dead: 0 });
    expect(stats.claimed).toBe(0);
  }, 120_000);

  it("claims in strict priority order: high, then normal, then low", async () => {
    const ctx = await testCtx("claim-priority");
    const w = await workerActor(ctx);
    const low = await Task.create(ctx, { title: "low", priority: "low" }, operator.name);
    const normal = await Task.create(ctx, { title: "normal", priority: "normal" }, operator.name);
    const high = await Task.create(ctx, { title: "high", priority: "high" }, operator.name);

    const order: string[] = [];
    for (let i = 0; i < 3; i++) {
      const wo = await WorkOrder.claimNext(ctx, w.principalId);
      expect(wo).not.toBeNull();
      order.push(wo!.taskId);
      expect(wo!.priority).toBe(["high", "normal", "low"][i]);
    }
    expect(order).toEqual([high.id, normal.id, low.id]);
    expect(await WorkOrder.claimNext(ctx, w.principalId)).toBeNull();
  });

  it("a high task created after lower ones is still taken first", async () => {
    const ctx = await testCtx("claim-priority-late");
    const w = await workerActor(ctx);
    await Task.create(ctx, { title: "low 1", priority: "low" }, operator.name);
    const first = await WorkOrder.claimNext(ctx, w.principalId);
    expect(first?.priority).toBe("low");
    await Task.create(ctx, { title: "low 2", priority: "low" }, operator.name);
    const high = await Task.create(ctx, { title: "urgent", priority: "high" }, operator.name);
    expect((await WorkOrder.claimNext(ctx, w.principalId))?.taskId).toBe(high.id);
  });

  it("drops a duplicate delivery of a completed work order and deletes its message", async () => {
    const ctx = await testCtx("claim-duplicate");
    const w = await workerActor(ctx);
    const task = await Task.create(ctx, { title: "once" }, operator.name);
    const wo = await WorkOrder.claimNext(ctx, w.principalId);
    await WorkOrder.complete(ctx, w.principalId, { workOrderId: wo!.id });

    await ctx.queue.send("normal", { workOrderId: wo!.id, taskId: task.id });
    expect((await ctx.queue.depth()).normal.visible).toBe(1);
    const other = await workerActor(ctx, "other");
    expect(await WorkOrder.claimNext(ctx, other.principalId)).toBeNull();

    const depth = await ctx.queue.depth();
    expect(depth.normal).toEqual({ visible: 0, inFlight: 0, dead: 0 });
    const after = await WorkOrder.load(ctx, wo!.id);
    expect(after.status).toBe("completed");
    expect(after.workerId).toBe(w.principalId);
    expect((await Task.get(ctx, task.id)).status).toBe("completed");
    expect((await ctx.db.worker.get({ id: other.principalId }).go()).data?.status).toBe("idle");
  });

  it("drops a message whose work order does not exist", async () => {
    const ctx = await testCtx("claim-orphan");
    const w = await workerActor(ctx);
    await ctx.queue.send("high", { workOrderId: "no-such-work-order", taskId: "no-such-task" });
    expect(await WorkOrder.claimNext(ctx, w.principalId)).toBeNull();
    expect((await ctx.queue.depth()).high).toEqual({ visible: 0, inFlight: 0, dead: 0 });
  });

  it("claimById claims a named work order once; a second claim is a conflict", async () => {
    const ctx = await testCtx("claim-by-id");
    const a = await workerActor(ctx, "a");
    const b = await workerActor(ctx, "b");
    const task = await Task.create(ctx, { title: "named" }, operator.name);
    const wo = await WorkOrder.claimById(ctx, a.principalId, task.currentWorkOrderId!);
    expect(wo.workerId).toBe(a.principalId);
    await expect(WorkOrder.claimById(ctx, b.principalId, wo.id)).rejects.toMatchObject({
      kind: "conflict",
      code: "workOrder.claim_lost",
    });
    // Its message is then a duplicate of held work: not claimable by anyone else.
    expect(await WorkOrder.claimNext(ctx, b.principalId)).toBeNull();
    expect((await WorkOrder.load(ctx, wo.id)).workerId).toBe(a.principalId);
  });

  it("of two claimers of one work order, only the winner's claim is pushed, once, and answered with its task", async () => {
    const ctx = await testCtx("claim-pushed-once");
    await Realtime.connect(ctx, "c-person", await Auth.issueTicket(ctx, { ...operator, role: "operator" }));
    const [a, b] = [await workerActor(ctx, "a"), await workerActor(ctx, "b")];
    const task = await Task.create(ctx, { title: "contested" }, operator.name);
    ctx.pushed.length = 0;
    const results = await Promise.allSettled(
      [a, b].map((w) => WorkOrder.claimWithTask(ctx, w.principalId, task.currentWorkOrderId!)),
    );
    const won = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    expect(won).toHaveLength(1);
    expect(results.filter((r) => r.status === "rejected")).toHaveLength(1);
    const winner = won[0]!.workOrder.workerId;
    expect(won[0]!.task).toMatchObject({ id: task.id, status: "in_progress", workerId: winner });
    const inProgress = ctx.pushed.filter(
      (p) => p.event.type === "task.updated" && (p.event.data as { status: string }).status === "in_progress",
    );
    expect(inProgress.map((p) => (p.event.data as { workerId: string }).workerId)).toEqual([winner]);
    expect((await Task.get(ctx, task.id)).workerId).toBe(winner);
  });

  it("pushes a task's in_progress only once a read of the task says so (a re-read list never goes back to queued)", async () => {
    const ctx = await testCtx("claim-push-after-write");
    await Realtime.connect(ctx, "c-person", await Auth.issueTicket(ctx, { ...operator, role: "operator" }));
    const a = await workerActor(ctx, "a");
    const task = await Task.create(ctx, { title: "read me" }, operator.name);
    // What a browser re-reading the task would see at the moment each event is pushed.
    const seenAtPush: string[] = [];
    const post = ctx.push.post.bind(ctx.push);
    ctx.push.post = async (connectionId, data) => {
      const event = JSON.parse(data) as { type: string; data: { id: string; status: string } };
      if (event.type === "task.updated" && event.data.status === "in_progress")
        seenAtPush.push((await Task.get(ctx, event.data.id)).status);
      return post(connectionId, data);
    };
    await WorkOrder.claimWithTask(ctx, a.principalId, task.currentWorkOrderId!);
    await expect.poll(() => seenAtPush).toEqual(["in_progress"]);
  });

  it("an unknown worker cannot claim", async () => {
    const ctx = await testCtx("claim-unknown-worker");
    await Task.create(ctx, { title: "t" }, operator.name);
    await expect(WorkOrder.claimNext(ctx, "nobody")).rejects.toMatchObject({ kind: "not_found" });
    // The work order is untouched and still claimable.
    const w = await workerActor(ctx);
    expect(await WorkOrder.claimNext(ctx, w.principalId)).not.toBeNull();
  });

  it("complete and fail only by the holder, only once", async () => {
    const ctx = await testCtx("claim-holder");
    const { a, b, task, wo } = await claimedByA(ctx);
    await expect(WorkOrder.complete(ctx, b.principalId, { workOrderId: wo.id })).rejects.toMatchObject({
      kind: "forbidden",
      code: "workOrder.not_yours",
    });
    await expect(
      WorkOrder.fail(ctx, b.principalId, { workOrderId: wo.id, reason: "x" }),
    ).rejects.toMatchObject({
      kind: "forbidden",
    });
    const failed = await WorkOrder.fail(ctx, a.principalId, { workOrderId: wo.id, reason: "compiler broke" });
    expect(failed.status).toBe("failed");
    expect(failed.failureReason).toBe("compiler broke");
    const t = await Task.get(ctx, task.id);
    expect(t.status).toBe("failed");
    expect(t.failureReason).toBe("compiler broke");
    await expect(WorkOrder.complete(ctx, a.principalId, { workOrderId: wo.id })).rejects.toMatchObject({
      kind: "conflict",
      code: "workOrder.invalid_state",
    });
    expect((await Task.get(ctx, task.id)).status).toBe("failed");
  });
});
