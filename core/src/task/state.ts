import { later } from "../after.ts";
import { iso } from "../clock.ts";
import type { Ctx } from "../context.ts";
import type { TaskStatus } from "../db/enums.ts";
import type { TaskItem } from "../db/index.ts";
import { notFound, VisibleError } from "../errors.ts";
import { addLogFields } from "../log.ts";
import * as Realtime from "../realtime/service.ts";
import { toTaskInfo } from "./schema.ts";
import * as Store from "./store.ts";

export const load = async (ctx: Ctx, id: string): Promise<TaskItem> => {
  const task = await Store.get(ctx, id);
  if (!task) throw notFound("task", id);
  addLogFields({ taskId: id });
  return task;
};

/** `task.updated` for everyone watching, without holding the caller's answer. */
export const publish = (ctx: Ctx, task: TaskItem) =>
  later(ctx, () => Realtime.publish(ctx, { type: "task.updated", data: toTaskInfo(task) }));

/** Like `change`, but a task that moved on meanwhile is null rather than a conflict. */
export const changeIf = async (
  ctx: Ctx,
  task: TaskItem,
  changes: Store.TaskChanges,
  from: readonly TaskStatus[],
  remove: readonly Store.Removable[] = [],
): Promise<TaskItem | null> => {
  const updated = await Store.update(
    ctx,
    task,
    { ...changes, updatedAt: iso(ctx.clock.now()) },
    from,
    remove,
  );
  if (updated) await publish(ctx, updated);
  return updated;
};

/**
 * Applies a change to a task if it is still in one of the `from` statuses, publishes
 * `task.updated`, and returns the new item. A task that moved on meanwhile is a conflict.
 */
export const change = async (
  ctx: Ctx,
  task: TaskItem,
  changes: Store.TaskChanges,
  from: readonly TaskStatus[] = [task.status],
  remove: readonly Store.Removable[] = [],
): Promise<TaskItem> => {
  const updated = await changeIf(ctx, task, changes, from, remove);
  if (updated) return updated;
  const current = await load(ctx, task.id);
  throw new VisibleError(
    "conflict",
    "task.invalid_state",
    `Task ${task.id} is ${current.status}; this needs it to be ${from.join(" or ")}`,
    { status: current.status, expected: from },
  );
};
