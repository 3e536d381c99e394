import * as Activity from "../activity/service.ts";
import { later } from "../after.ts";
import { iso } from "../clock.ts";
import type { Ctx } from "../context.ts";
import type { WorkOrderItem } from "../db/index.ts";
import { VisibleError } from "../errors.ts";
import * as Execution from "../execution/service.ts";
import { newId, sessionIdFor } from "../ids.ts";
import { addLogFields } from "../log.ts";
import type { Page } from "../page.ts";
import * as Session from "../session/service.ts";
import { WorkOrder } from "../work-order/index.ts";
import type { CreateTaskInput, ListTasksQuery, TaskInfo, UpdateTaskInput } from "./schema.ts";
import { CreateTaskInput as CreateTaskSchema, toTaskInfo } from "./schema.ts";
import * as TaskState from "./state.ts";
import * as Store from "./store.ts";

/** Stores a task and enqueues its first work order on the queue of its priority. */
export const create = async (ctx: Ctx, raw: CreateTaskInput, by: string): Promise<TaskInfo> => {
  const input = CreateTaskSchema.parse(raw);
  const now = iso(ctx.clock.now());
  // The task names its work order, and both are written (together: they are independent)
  // before the message goes out, so a claimer finds them complete.
  const workOrderId = newId();
  const item = {
    ...input,
    agent: input.agent ?? ctx.config.defaultAgent,
    id: newId(),
    status: "queued" as const,
    createdBy: by,
    createdAt: now,
    updatedAt: now,
    currentWorkOrderId: workOrderId,
  };
  const wo = { id: workOrderId, taskId: item.id, taskCreatedAt: now, priority: item.priority };
  addLogFields({ taskId: item.id, workOrderId });
  const [task, workOrder] = await Promise.all([Store.insert(ctx, item), WorkOrder.create(ctx, wo)]).catch(
    async (err) => {
      // Nothing half-written: a task without its work order would never run, and a work
      // order without its task could not be claimed.
      await Promise.allSettled([Store.remove(ctx, item.id), WorkOrder.remove(ctx, workOrderId)]);
      throw err;
    },
  );
  // The timeline line is written while the message travels, not while a worker claims it.
  const recorded = later(ctx, () =>
    Activity.record(ctx, { type: "task.created", summary: `${by} created "${task.title}"`, taskId: task.id }),
  );
  await WorkOrder.send(ctx, workOrder);
  await Promise.all([TaskState.publish(ctx, task), recorded]);
  return toTaskInfo(task);
};

export const get = async (ctx: Ctx, id: string) => toTaskInfo(await TaskState.load(ctx, id));

export const list = async (ctx: Ctx, query: ListTasksQuery): Promise<Page<TaskInfo>> => {
  const result = await Store.page(ctx, query, query.limit, query.cursor ?? null);
  return { items: result.data.map(toTaskInfo), nextCursor: result.cursor };
};

/** Where a task can be cancelled from: waiting to run, running, or parked on a person. */
const CANCELLABLE = ["queued", "in_progress", "waiting"] as const;

/**
 * A running task's work ends as cancelled, then its agent session is terminated: its worker,
 * told over its socket, stops the agent (its heartbeat, finding the lease gone, is the
 * backstop). False when the work ended first.
 */
const cancelRunning = async (ctx: Ctx, wo: WorkOrderItem, reason: string) => {
  const execution = await Execution.runningFor(ctx, wo.taskId, wo.id);
  if (!(await WorkOrder.finish(ctx, wo, { status: "failed", reason, taskStatus: "cancelled" }))) return false;
  if (execution) {
    await Session.terminateIfOpen(ctx, sessionIdFor(execution.sessionId), reason);
  }
  return true;
};

/** Ends a task's current work as cancelled, as its state demands: false when there was none to end. */
const cancelWork = async (ctx: Ctx, wo: WorkOrderItem, reason: string) => {
  switch (wo.status) {
    case "queued":
      return WorkOrder.finish(ctx, wo, { status: "failed", reason, taskStatus: "cancelled" });
    case "claimed":
      return cancelRunning(ctx, wo, reason);
    case "parked":
      return WorkOrder.dropParked(ctx, wo, { reason, taskStatus: "cancelled" });
    default:
      return false;
  }
};

/**
 * Edits title/description, or cancels a task: a queued one (its work order fails as
 * cancelled), a running one (its agent is stopped, see cancelRunning) or a waiting one (its
 * parked run is closed: request, session, snapshot).
 */
export const update = async (ctx: Ctx, id: string, input: UpdateTaskInput, by: string): Promise<TaskInfo> => {
  const task = await TaskState.load(ctx, id);
  const { status, ...fields } = input;
  // Checked before anything is written: a refused cancel leaves the edits unmade too.
  if (status === "cancelled" && !(CANCELLABLE as readonly string[]).includes(task.status)) {
    throw new VisibleError(
      "conflict",
      "task.invalid_state",
      `Task ${id} is ${task.status}; only queued, in_progress or waiting tasks can be cancelled`,
      { status: task.status },
    );
  }
  let updated = task;
  if (Object.keys(fields).length) updated = await TaskState.change(ctx, task, fields, [task.status]);
  if (status === "cancelled") {
    const wo = task.currentWorkOrderId ? await WorkOrder.get(ctx, task.currentWorkOrderId) : null;
    if (!(wo && (await cancelWork(ctx, wo, `Cancelled by ${by}`)))) {
      await TaskState.change(ctx, updated, { status: "cancelled", completedAt: iso(ctx.clock.now()) }, [
        "queued",
      ]);
    }
    updated = await TaskState.load(ctx, id);
    // The work ended on its own meanwhile (completed, failed): that stands.
    if (updated.status !== "cancelled") {
      throw new VisibleError(
        "conflict",
        "task.invalid_state",
        `Task ${id} is ${updated.status}: it ended before it could be cancelled`,
        { status: updated.status },
      );
    }
  }
  return toTaskInfo(updated);
};
