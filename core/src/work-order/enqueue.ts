import * as Activity from "../activity/service.ts";
import { later } from "../after.ts";
import type { Ctx } from "../context.ts";
import type { TaskItem, WorkOrderItem } from "../db/index.ts";
import { VisibleError } from "../errors.ts";
import { newId } from "../ids.ts";
import { log } from "../log.ts";
import type { WorkOrderMessage } from "../ports/queue.ts";
import { toTaskInfo } from "../task/schema.ts";
import * as TaskState from "../task/state.ts";
import { toWorkOrderInfo } from "./schema.ts";
import * as Store from "./store.ts";

/** The message of a stored work order: what a claimer needs to find it and take it. */
export const messageOf = (wo: WorkOrderItem): WorkOrderMessage => ({
  workOrderId: wo.id,
  taskId: wo.taskId,
  enqueuedAt: wo.enqueuedAt,
  ...(wo.taskCreatedAt ? { taskCreatedAt: wo.taskCreatedAt } : {}),
});

/** Sends a stored work order's message; a failed send is left to the reconciler, which resends it. */
export const send = async (ctx: Ctx, wo: WorkOrderItem) => {
  try {
    await ctx.queue.send(wo.priority, messageOf(wo));
  } catch (err) {
    log.warn(
      { err, taskId: wo.taskId, workOrderId: wo.id },
      "send of a work order failed; the reconciler will resend it",
    );
  }
};

/**
 * Puts a work order given back to the queue in front of claimers at once: its in-flight
 * message made visible again, or a new one sent when it has no receipt or the receipt is stale.
 */
export const redeliver = async (ctx: Ctx, wo: WorkOrderItem) => {
  const visibleAgain = wo.receiptHandle
    ? await ctx.queue.setVisibility(wo.priority, wo.receiptHandle, 0)
    : false;
  if (!visibleAgain) await ctx.queue.send(wo.priority, messageOf(wo));
};

/** Stores a queued work order; nothing is sent yet (see send). */
export const create = (ctx: Ctx, input: Store.NewWorkOrder) => Store.insert(ctx, input);

/** Creates a work order and sends its message: DynamoDB first, so a lost send is only late. */
export const enqueue = async (ctx: Ctx, input: Store.NewWorkOrder): Promise<WorkOrderItem> => {
  const wo = await create(ctx, input);
  await send(ctx, wo);
  return wo;
};

const restore = (task: TaskItem) => ({
  status: task.status,
  ...(task.currentWorkOrderId ? { currentWorkOrderId: task.currentWorkOrderId } : {}),
  ...(task.failureReason ? { failureReason: task.failureReason } : {}),
  ...(task.completedAt ? { completedAt: task.completedAt } : {}),
});

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
    wo = await enqueue(ctx, { id, taskId, taskCreatedAt: task.createdAt, priority: updated.priority });
  } catch (err) {
    // Nothing half-written: the task goes back to how it was.
    await TaskState.change(ctx, updated, restore(task), ["queued"]);
    throw err;
  }
  await later(ctx, () =>
    Activity.record(ctx, { type: "task.enqueued", summary: `${by} re-enqueued "${task.title}"`, taskId }),
  );
  return { task: toTaskInfo(updated), workOrder: toWorkOrderInfo(wo) };
};
