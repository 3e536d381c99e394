import * as Activity from "../activity/service.ts";
import * as Chat from "../chat/service.ts";
import { iso } from "../clock.ts";
import type { Ctx } from "../context.ts";
import type { TaskStatus } from "../db/enums.ts";
import { isConditionalFailure, type TaskItem, type WorkOrderItem } from "../db/index.ts";
import { notFound, VisibleError } from "../errors.ts";
import * as Execution from "../execution/service.ts";
import { newId, sessionIdFor } from "../ids.ts";
import type { ReceivedMessage } from "../ports/queue.ts";
import * as Realtime from "../realtime/service.ts";
import { PRIORITIES } from "../resources.ts";
import * as SessionState from "../session/state.ts";
import * as TaskState from "../task/state.ts";
import * as Worker from "../worker/service.ts";
import type { QueueStats } from "./schema.ts";

export const load = async (ctx: Ctx, id: string): Promise<WorkOrderItem> => {
  const { data } = await ctx.db.workOrder.get({ id }).go();
  if (!data) throw notFound("workOrder", id);
  return data;
};

const leaseSeconds = (ctx: Ctx) => Math.ceil(ctx.config.leaseMs / 1000);

/**
 * Creates a work order for a task and sends its message to the queue of the task's priority.
 * DynamoDB is written first: if the send fails, the reconciler sends it later.
 */
export const createWorkOrder = async (ctx: Ctx, task: TaskItem, id = newId()): Promise<WorkOrderItem> => {
  const now = ctx.clock.now();
  const { data: wo } = await ctx.db.workOrder
    .create({
      id,
      taskId: task.id,
      status: "queued",
      priority: task.priority,
      enqueuedAt: iso(now),
      retryCount: 0,
      sentAt: now,
    })
    .go();
  try {
    await ctx.queue.send(wo.priority, { workOrderId: wo.id, taskId: wo.taskId });
  } catch (err) {
    console.warn(
      `send of work order ${wo.id} failed, the reconciler will resend it: ${(err as Error).message}`,
    );
  }
  return wo;
};

/** Re-enqueues a failed or cancelled task as a new work order (its history stays). */
export const reenqueue = async (ctx: Ctx, taskId: string, by: string) => {
  const task = await TaskState.load(ctx, taskId);
  if (task.status !== "failed" && task.status !== "cancelled") {
    throw new VisibleError(
      "conflict",
      "task.invalid_state",
      `Task ${taskId} is ${task.status}; only failed or cancelled tasks can be re-enqueued`,
      { status: task.status },
    );
  }
  // The task moves first (one conditional write, so two re-enqueues make one work order) and
  // names its work order before the message goes out, so a claimer finds the task ready.
  const id = newId();
  const updated = await TaskState.change(
    ctx,
    task,
    { status: "queued", currentWorkOrderId: id },
    ["failed", "cancelled"],
    ["failureReason", "completedAt", "workerId"],
  );
  let wo: WorkOrderItem;
  try {
    wo = await createWorkOrder(ctx, updated, id);
  } catch (err) {
    // Nothing half-written: the task goes back to how it was.
    await TaskState.change(
      ctx,
      updated,
      {
        status: task.status,
        ...(task.currentWorkOrderId ? { currentWorkOrderId: task.currentWorkOrderId } : {}),
        ...(task.failureReason ? { failureReason: task.failureReason } : {}),
        ...(task.completedAt ? { completedAt: task.completedAt } : {}),
      },
      ["queued"],
    );
    throw err;
  }
  await Activity.record(ctx, { type: "task.enqueued", summary: `${by} re-enqueued "${task.title}"`, taskId });
  return { task: updated, workOrder: wo };
};

type ClaimOutcome =
  | { kind: "claimed"; workOrder: WorkOrderItem }
  | { kind: "held"; workOrder: WorkOrderItem }
  | { kind: "finished" | "lost" };

/**
 * The atomic claim: one conditional write from the state we read. A queued work order, or a
 * claimed one whose lease has run out (its worker is lost: a takeover, retryCount + 1).
 */
const take = async (
  ctx: Ctx,
  wo: WorkOrderItem,
  workerId: string,
  receiptHandle?: string,
): Promise<ClaimOutcome> => {
  const now = ctx.clock.now();
  if (wo.status === "completed" || wo.status === "failed") return { kind: "finished" };
  const takeover = wo.status === "claimed";
  if (takeover && (wo.leaseExpiresAt ?? 0) > now) return { kind: "held", workOrder: wo };
  if (takeover && wo.retryCount >= ctx.config.maxRetries) {
    await finish(ctx, wo, {
      status: "failed",
      reason: `Worker lost ${wo.retryCount + 1} times; gave up after ${ctx.config.maxRetries} retries`,
    }).catch((err) => {
      // Another delivery's claimer (or the holder) ended it first: finished all the same.
      if ((err as VisibleError).code !== "workOrder.invalid_state") throw err;
    });
    return { kind: "finished" };
  }
  try {
    const { data } = await ctx.db.workOrder
      .patch({ id: wo.id })
      .set({
        status: "claimed",
        workerId,
        claimedAt: iso(now),
        leaseExpiresAt: now + ctx.config.leaseMs,
        retryCount: wo.retryCount + (takeover ? 1 : 0),
        ...(receiptHandle ? { receiptHandle } : {}),
      })
      .composite({ enqueuedAt: wo.enqueuedAt })
      .where((attr, op) =>
        takeover
          ? `${op.eq(attr.status, "claimed")} AND ${op.eq(attr.leaseExpiresAt, wo.leaseExpiresAt ?? 0)}`
          : op.eq(attr.status, "queued"),
      )
      .go({ response: "all_new" });
    return { kind: "claimed", workOrder: { ...wo, ...data } as WorkOrderItem };
  } catch (err) {
    if (isConditionalFailure(err)) return { kind: "lost" };
    throw err;
  }
};

/** After a won claim: the task is in progress and the worker busy, for everyone to see. */
const afterClaim = async (ctx: Ctx, wo: WorkOrderItem, workerId: string) => {
  const task = await TaskState.load(ctx, wo.taskId);
  // A takeover: the lost worker's execution ends here, so it does not look alive forever.
  const lost = wo.retryCount > 0 ? await Execution.runningFor(ctx, wo.taskId, wo.id) : null;
  if (lost)
    await Execution.finish(ctx, lost, "failed", "The worker was lost; another worker took the task over");
  // Independent writes: together, so a claim costs one round of them, not three.
  await Promise.all([
    TaskState.change(ctx, task, { status: "in_progress", workerId }, ["queued", "in_progress"]),
    Worker.setStatus(ctx, workerId, "busy", { taskId: wo.taskId, workOrderId: wo.id }),
    Activity.record(ctx, {
      type: "task.claimed",
      summary: `${wo.retryCount > 0 ? `Retry ${wo.retryCount}: ` : ""}"${task.title}" claimed`,
      taskId: wo.taskId,
      workerId,
    }),
  ]);
};

/** One SQS delivery of a work order: which one, from which queue, by which receipt. */
export interface Delivery {
  workOrderId: string;
  priority: ReceivedMessage["priority"];
  receiptHandle: string;
}

/**
 * Claims the work order an SQS delivery points at. Duplicate deliveries of finished
 * work are deleted; a delivery of work another worker holds under a live lease is hidden until
 * that lease would end, and its newer receipt recorded for the holder's visibility extensions.
 */
export const claimDelivery = async (ctx: Ctx, workerId: string, msg: Delivery) => {
  const wo = await ctx.db.workOrder.get({ id: msg.workOrderId }).go();
  const outcome = wo.data
    ? await take(ctx, wo.data, workerId, msg.receiptHandle)
    : ({ kind: "finished" } as const);
  if (outcome.kind === "finished") await ctx.queue.delete(msg.priority, msg.receiptHandle);
  if (outcome.kind === "held") {
    const held = outcome.workOrder;
    await ctx.db.workOrder
      .patch({ id: held.id })
      .set({ receiptHandle: msg.receiptHandle })
      .where(
        (attr, op) => `${op.eq(attr.status, "claimed")} AND ${op.eq(attr.workerId, held.workerId ?? "")}`,
      )
      .go()
      .catch((err) => {
        if (!isConditionalFailure(err)) throw err;
      });
    const remaining = Math.max(1, Math.ceil(((held.leaseExpiresAt ?? 0) - ctx.clock.now()) / 1000));
    await ctx.queue.setVisibility(msg.priority, msg.receiptHandle, remaining);
  }
  if (outcome.kind !== "claimed") return null;
  await afterClaim(ctx, outcome.workOrder, workerId);
  return outcome.workOrder;
};

/** Claims the next work order in strict priority order (for workers that do not read SQS themselves). */
export const claimNext = async (ctx: Ctx, workerId: string): Promise<WorkOrderItem | null> => {
  await Worker.load(ctx, workerId);
  for (const priority of PRIORITIES) {
    for (;;) {
      const [msg] = await ctx.queue.receive(priority, {
        waitSeconds: 0,
        visibilitySeconds: leaseSeconds(ctx),
      });
      if (!msg) break;
      const claimed = await claimDelivery(ctx, workerId, { ...msg, workOrderId: msg.body.workOrderId });
      if (claimed) return claimed;
    }
  }
  return null;
};

/**
 * Claims one named work order; 409 when it is not claimable. With the SQS delivery a worker
 * received it by, the claim records that receipt (the lease then drives its visibility).
 */
export const claimById = async (
  ctx: Ctx,
  workerId: string,
  workOrderId: string,
  delivery?: Omit<Delivery, "workOrderId">,
) => {
  await Worker.load(ctx, workerId);
  const claimed = delivery
    ? await claimDelivery(ctx, workerId, { ...delivery, workOrderId })
    : await take(ctx, await load(ctx, workOrderId), workerId).then(async (outcome) => {
        if (outcome.kind !== "claimed") return null;
        await afterClaim(ctx, outcome.workOrder, workerId);
        return outcome.workOrder;
      });
  if (!claimed) {
    throw new VisibleError(
      "conflict",
      "workOrder.claim_lost",
      `Work order ${workOrderId} was not claimable: it is already claimed or finished`,
      { workOrderId },
    );
  }
  return claimed;
};

/** The claimer's work order, or 403/409: a worker acts only on work orders it holds. */
const held = async (ctx: Ctx, workerId: string, workOrderId: string) => {
  const wo = await load(ctx, workOrderId);
  if (wo.workerId !== workerId) {
    throw new VisibleError(
      "forbidden",
      "workOrder.not_yours",
      `Work order ${workOrderId} is not claimed by worker ${workerId}`,
    );
  }
  if (wo.status !== "claimed") {
    throw new VisibleError(
      "conflict",
      "workOrder.invalid_state",
      `Work order ${workOrderId} is ${wo.status}, not claimed`,
      { status: wo.status },
    );
  }
  return wo;
};

/** Extends the claim's lease and its message's invisibility; false when the claim was lost. */
export const renewLease = async (ctx: Ctx, workerId: string, workOrderId: string): Promise<boolean> => {
  try {
    const { data } = await ctx.db.workOrder
      .patch({ id: workOrderId })
      .set({ leaseExpiresAt: ctx.clock.now() + ctx.config.leaseMs })
      .where((attr, op) => `${op.eq(attr.status, "claimed")} AND ${op.eq(attr.workerId, workerId)}`)
      .go({ response: "all_new" });
    const wo = data as Partial<WorkOrderItem>;
    if (wo.receiptHandle && wo.priority)
      await ctx.queue.setVisibility(wo.priority, wo.receiptHandle, leaseSeconds(ctx));
    return true;
  } catch (err) {
    if (isConditionalFailure(err)) return false;
    throw err;
  }
};

export interface Outcome {
  status: "completed" | "failed";
  reason?: string;
  output?: string;
  /** The task's own end state when it differs from the work order's (a cancel). */
  taskStatus?: Extract<TaskStatus, "cancelled">;
}

/**
 * Ends a work order and everything hanging off it: the message, the task, the running
 * execution, the worker's current work. The work order's write is conditional on the state
 * read, so two endings cannot both happen.
 */
export const finish = async (ctx: Ctx, wo: WorkOrderItem, outcome: Outcome) => {
  const now = iso(ctx.clock.now());
  try {
    await ctx.db.workOrder
      .patch({ id: wo.id })
      .set({
        status: outcome.status,
        completedAt: now,
        ...(outcome.reason ? { failureReason: outcome.reason } : {}),
      })
      .remove(["leaseExpiresAt"])
      .composite({ enqueuedAt: wo.enqueuedAt })
      // A claimed one also by the holder read: a takeover in between makes this ending lose.
      .where((attr, op) =>
        wo.status === "claimed" && wo.workerId
          ? `${op.eq(attr.status, "claimed")} AND ${op.eq(attr.workerId, wo.workerId)}`
          : op.eq(attr.status, wo.status),
      )
      .go();
  } catch (err) {
    if (!isConditionalFailure(err)) throw err;
    throw new VisibleError("conflict", "workOrder.invalid_state", `Work order ${wo.id} changed meanwhile`);
  }
  const ending = outcome.taskStatus ?? outcome.status;
  // What hangs off the work order is independent: it all moves on at once.
  await Promise.all([
    wo.receiptHandle &&
      ctx.queue.delete(wo.priority, wo.receiptHandle).catch(() => {
        // A stale receipt: the message is deleted as a duplicate when it is next received.
      }),
    (async () => {
      const task = await TaskState.load(ctx, wo.taskId);
      if (task.currentWorkOrderId === wo.id && (task.status === "queued" || task.status === "in_progress")) {
        const changes = {
          status: ending,
          completedAt: now,
          ...(outcome.reason ? { failureReason: outcome.reason } : {}),
        };
        await TaskState.change(ctx, task, changes, ["queued", "in_progress"]);
      }
      await Activity.record(ctx, {
        type: `task.${ending}`,
        summary: `"${task.title}" ${ending}${outcome.reason ? `: ${outcome.reason}` : ""}`,
        taskId: wo.taskId,
        ...(wo.workerId ? { workerId: wo.workerId } : {}),
      });
    })(),
    (async () => {
      const execution = await Execution.runningFor(ctx, wo.taskId, wo.id);
      if (!execution) return;
      await Execution.finish(ctx, execution, outcome.status, outcome.output);
      // The agent session outlives its execution; the keep-alive policy reaps it when idle.
      const { data: session } = await ctx.db.session.get({ id: sessionIdFor(execution.sessionId) }).go();
      if (session) await SessionState.touch(ctx, session, "idle");
    })(),
    wo.workerId && wo.status === "claimed" && Worker.setStatus(ctx, wo.workerId, "idle", null),
    Chat.closeOpen(ctx, wo.taskId, `The task ${ending}${outcome.reason ? `: ${outcome.reason}` : ""}`),
  ]);
};

export const complete = async (
  ctx: Ctx,
  workerId: string,
  input: { workOrderId: string; output?: string },
) => {
  const wo = await held(ctx, workerId, input.workOrderId);
  await finish(ctx, wo, {
    status: "completed",
    ...(input.output !== undefined ? { output: input.output } : {}),
  });
  return load(ctx, wo.id);
};

/** An explicit failure is final for this work order: a person decides whether to re-enqueue. */
export const fail = async (ctx: Ctx, workerId: string, input: { workOrderId: string; reason: string }) => {
  const wo = await held(ctx, workerId, input.workOrderId);
  await finish(ctx, wo, { status: "failed", reason: input.reason });
  return load(ctx, wo.id);
};

/**
 * Gives a claimed work order back to the queue untouched (a worker stopping on SIGTERM): it
 * is queued again at once, without counting as a retry.
 */
export const release = async (ctx: Ctx, workerId: string, workOrderId: string) => {
  const wo = await held(ctx, workerId, workOrderId);
  const now = ctx.clock.now();
  try {
    await ctx.db.workOrder
      .patch({ id: wo.id })
      .set({ status: "queued", sentAt: now })
      .remove(["workerId", "claimedAt", "leaseExpiresAt", "receiptHandle"])
      .composite({ enqueuedAt: wo.enqueuedAt })
      .where((attr, op) => `${op.eq(attr.status, "claimed")} AND ${op.eq(attr.workerId, workerId)}`)
      .go();
  } catch (err) {
    if (!isConditionalFailure(err)) throw err;
    throw new VisibleError("conflict", "workOrder.invalid_state", `Work order ${wo.id} changed meanwhile`);
  }
  // Everything of this worker's is wound up before the message is visible again: a claimer
  // taking it at once must not have its task re-queued or its new execution failed by us.
  const task = await TaskState.load(ctx, wo.taskId);
  await TaskState.change(ctx, task, { status: "queued" }, ["in_progress"], ["workerId"]);
  const execution = await Execution.runningFor(ctx, wo.taskId, wo.id);
  if (execution)
    await Execution.finish(ctx, execution, "failed", "Released: the worker stopped before finishing");
  await Chat.closeOpen(ctx, wo.taskId, "The worker stopped; the task was queued again");
  await Worker.setStatus(ctx, workerId, "idle", null);
  const visibleAgain = wo.receiptHandle
    ? await ctx.queue.setVisibility(wo.priority, wo.receiptHandle, 0)
    : false;
  if (!visibleAgain) await ctx.queue.send(wo.priority, { workOrderId: wo.id, taskId: wo.taskId });
  await Activity.record(ctx, {
    type: "task.released",
    summary: `"${task.title}" released back to the queue`,
    taskId: task.id,
    workerId,
  });
  return load(ctx, wo.id);
};

export const stats = async (ctx: Ctx): Promise<QueueStats> => {
  const [queues, claimed] = await Promise.all([
    ctx.queue.depth(),
    ctx.db.workOrder.query.byStatus({ status: "claimed" }).go({ pages: "all", attributes: ["id"] }),
  ]);
  const totals = { visible: 0, inFlight: 0, dead: 0 };
  for (const p of PRIORITIES) {
    totals.visible += queues[p].visible;
    totals.inFlight += queues[p].inFlight;
    totals.dead += queues[p].dead;
  }
  return { queues, totals, claimed: claimed.data.length, at: iso(ctx.clock.now()) };
};

export const publishStats = async (ctx: Ctx) =>
  Realtime.publish(ctx, { type: "queue.stats", data: await stats(ctx) });
