import { iso } from "../clock.ts";
import type { Ctx } from "../context.ts";
import type { TaskStatus } from "../db/enums.ts";
import { isConditionalFailure, type TaskItem } from "../db/index.ts";
import { notFound, VisibleError } from "../errors.ts";
import * as Realtime from "../realtime/service.ts";
import { toTaskInfo } from "./schema.ts";

export const load = async (ctx: Ctx, id: string): Promise<TaskItem> => {
  const { data } = await ctx.db.task.get({ id }).go();
  if (!data) throw notFound("task", id);
  return data;
};

type TaskChanges = Partial<
  Pick<
    TaskItem,
    "status" | "title" | "description" | "completedAt" | "failureReason" | "currentWorkOrderId" | "workerId"
  >
>;

/**
 * Applies a change to a task if it is still in one of the `from` statuses, publishes
 * `task.updated`, and returns the new item. A task that moved on meanwhile is a conflict.
 */
export const change = async (
  ctx: Ctx,
  task: TaskItem,
  changes: TaskChanges,
  from: readonly TaskStatus[] = [task.status],
  remove: ("failureReason" | "completedAt" | "workerId")[] = [],
): Promise<TaskItem> => {
  try {
    let update = ctx.db.task
      .patch({ id: task.id })
      .set({ ...changes, updatedAt: iso(ctx.clock.now()) })
      // Status is the byStatus partition: ElectroDB rebuilds that key and needs its sort composites.
      .composite({ createdAt: task.createdAt });
    if (remove.length) update = update.remove(remove);
    const { data } = await update
      .where((attr, op) => from.map((s) => op.eq(attr.status, s)).join(" OR "))
      .go({ response: "all_new" });
    const updated = { ...task, ...data } as TaskItem;
    // The attributes removed are gone from the item, not left over from the one read.
    for (const key of remove) delete updated[key];
    await Realtime.publish(ctx, { type: "task.updated", data: toTaskInfo(updated) });
    return updated;
  } catch (err) {
    if (!isConditionalFailure(err)) throw err;
    const current = await load(ctx, task.id);
    throw new VisibleError(
      "conflict",
      "task.invalid_state",
      `Task ${task.id} is ${current.status}; this needs it to be ${from.join(" or ")}`,
      { status: current.status, expected: from },
    );
  }
};
