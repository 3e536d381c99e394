import type { Ctx } from "../context.ts";
import type { TaskStatus, TaskType } from "../db/enums.ts";
import { isConditionalFailure, type TaskItem } from "../db/index.ts";
import type { Priority } from "../resources.ts";

/** The task's access patterns, one function each; a lost conditional write is null. */

export const get = async (ctx: Ctx, id: string): Promise<TaskItem | null> =>
  (await ctx.db.task.get({ id }).go()).data;

export const insert = async (ctx: Ctx, item: TaskItem): Promise<TaskItem> =>
  (await ctx.db.task.create(item).go()).data;

export const remove = async (ctx: Ctx, id: string) => {
  await ctx.db.task.delete({ id }).go();
};

export type TaskChanges = Partial<
  Pick<
    TaskItem,
    | "status"
    | "title"
    | "description"
    | "completedAt"
    | "failureReason"
    | "suspicious"
    | "currentWorkOrderId"
    | "workerId"
    | "updatedAt"
  >
>;
export type Removable = "failureReason" | "completedAt" | "workerId";

/**
 * Changes a task still in one of the `from` statuses; null when it moved on meanwhile, or when
 * the createdAt given is not its own. The item as written (all of it: the write returns it).
 */
export const update = async (
  ctx: Ctx,
  task: Pick<TaskItem, "id" | "createdAt">,
  changes: TaskChanges,
  from: readonly TaskStatus[],
  remove: readonly Removable[] = [],
): Promise<TaskItem | null> => {
  // Status is the byStatus partition: ElectroDB rebuilds that key and needs its sort composites,
  // which must be the item's own (a createdAt from a message is checked, not trusted).
  let write = ctx.db.task.patch({ id: task.id }).set(changes).composite({ createdAt: task.createdAt });
  if (remove.length) write = write.remove([...remove]);
  try {
    const { data } = await write
      .where(
        (attr, op) =>
          `(${from.map((s) => op.eq(attr.status, s)).join(" OR ")}) AND ${op.eq(attr.createdAt, task.createdAt)}`,
      )
      .go({ response: "all_new" });
    const updated = { ...task, ...data } as TaskItem;
    // The attributes removed are gone from the item, not left over from the one read.
    for (const key of remove) delete updated[key];
    return updated;
  } catch (err) {
    if (isConditionalFailure(err)) return null;
    throw err;
  }
};

export interface TaskFilter {
  status?: TaskStatus | undefined;
  taskType?: TaskType | undefined;
  priority?: Priority | undefined;
}

/**
 * Newest first. Each filter has its index; a second filter is applied to the first's results
 * (a page may then hold fewer than `limit` items; follow nextCursor).
 */
export const page = async (ctx: Ctx, filter: TaskFilter, limit: number, cursor: string | null) => {
  const { status, taskType, priority } = filter;
  const base = status
    ? ctx.db.task.query.byStatus({ status })
    : taskType
      ? ctx.db.task.query.byType({ taskType })
      : ctx.db.task.query.timeline({});
  return base
    .where((attr, op) =>
      [
        status && taskType ? op.eq(attr.taskType, taskType) : "",
        priority ? op.eq(attr.priority, priority) : "",
      ]
        .filter(Boolean)
        .join(" AND "),
    )
    .go({ order: "desc", limit, cursor });
};
