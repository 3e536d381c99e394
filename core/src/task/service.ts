import * as Activity from "../activity/service.ts";
import { iso } from "../clock.ts";
import type { Ctx } from "../context.ts";
import type { TaskItem } from "../db/index.ts";
import { VisibleError } from "../errors.ts";
import { newId } from "../ids.ts";
import type { Page } from "../page.ts";
import * as Queue from "../queue/service.ts";
import * as Realtime from "../realtime/service.ts";
import type { CreateTaskInput, ListTasksQuery, TaskInfo, UpdateTaskInput } from "./schema.ts";
import { CreateTaskInput as CreateTaskSchema, toTaskInfo } from "./schema.ts";
import * as TaskState from "./state.ts";

/** Stores a task and enqueues its first work order on the queue of its priority. */
export const create = async (ctx: Ctx, raw: CreateTaskInput, by: string): Promise<TaskInfo> => {
  const input = CreateTaskSchema.parse(raw);
  const now = iso(ctx.clock.now());
  const id = newId();
  // The task names its work order before the message goes out: a claimer finds it complete.
  const workOrderId = newId();
  const { data: task } = await ctx.db.task
    .create({
      ...input,
      id,
      status: "queued",
      createdBy: by,
      createdAt: now,
      updatedAt: now,
      currentWorkOrderId: workOrderId,
    })
    .go();
  try {
    await Queue.createWorkOrder(ctx, task, workOrderId);
  } catch (err) {
    // Nothing half-written: a task without its work order would never run.
    await ctx.db.task.delete({ id }).go();
    throw err;
  }
  const info = toTaskInfo(task);
  await Promise.all([
    Realtime.publish(ctx, { type: "task.updated", data: info }),
    Activity.record(ctx, { type: "task.created", summary: `${by} created "${task.title}"`, taskId: id }),
  ]);
  return info;
};

export const get = async (ctx: Ctx, id: string) => toTaskInfo(await TaskState.load(ctx, id));

/**
 * Newest first. Each filter has its index; a second filter is applied to the first's results
 * (a page may then hold fewer than `limit` items; follow nextCursor).
 */
export const list = async (ctx: Ctx, query: ListTasksQuery): Promise<Page<TaskInfo>> => {
  const options = { order: "desc", limit: query.limit, cursor: query.cursor ?? null } as const;
  const { status, taskType, priority } = query;
  const base = status
    ? ctx.db.task.query.byStatus({ status })
    : taskType
      ? ctx.db.task.query.byType({ taskType })
      : ctx.db.task.query.timeline({});
  const result = await base
    .where((attr, op) =>
      [
        status && taskType ? op.eq(attr.taskType, taskType) : "",
        priority ? op.eq(attr.priority, priority) : "",
      ]
        .filter(Boolean)
        .join(" AND "),
    )
    .go(options);
  return { items: result.data.map((t: TaskItem) => toTaskInfo(t)), nextCursor: result.cursor };
};

/** Edits title/description, or cancels a queued task (its work order fails as cancelled). */
export const update = async (ctx: Ctx, id: string, input: UpdateTaskInput, by: string): Promise<TaskInfo> => {
  const task = await TaskState.load(ctx, id);
  const { status, ...fields } = input;
  // Checked before anything is written: a refused cancel leaves the edits unmade too.
  if (status === "cancelled" && task.status !== "queued") {
    throw new VisibleError(
      "conflict",
      "task.invalid_state",
      `Task ${id} is ${task.status}; only queued tasks can be cancelled`,
      { status: task.status },
    );
  }
  let updated = task;
  if (Object.keys(fields).length) updated = await TaskState.change(ctx, task, fields, [task.status]);
  if (status === "cancelled") {
    const wo = task.currentWorkOrderId ? await Queue.load(ctx, task.currentWorkOrderId) : null;
    if (wo?.status === "queued") {
      await Queue.finish(ctx, wo, {
        status: "failed",
        reason: `Cancelled by ${by}`,
        taskStatus: "cancelled",
      });
    } else {
      await TaskState.change(ctx, updated, { status: "cancelled", completedAt: iso(ctx.clock.now()) }, [
        "queued",
      ]);
    }
    updated = await TaskState.load(ctx, id);
  }
  return toTaskInfo(updated);
};
