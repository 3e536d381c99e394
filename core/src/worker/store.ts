import type { Ctx } from "../context.ts";
import type { WorkerStatus } from "../db/enums.ts";
import { isConditionalFailure, type WorkerItem } from "../db/index.ts";

/** The worker's access patterns, one function each; a lost conditional write is null. */

export const get = async (ctx: Ctx, id: string): Promise<WorkerItem | null> =>
  (await ctx.db.worker.get({ id }).go()).data;

export const insert = async (ctx: Ctx, item: WorkerItem): Promise<WorkerItem> =>
  (await ctx.db.worker.create(item).go()).data;

export const remove = async (ctx: Ctx, id: string) => {
  await ctx.db.worker.delete({ id }).go();
};

type Changes = Partial<
  Pick<WorkerItem, "status" | "lastHeartbeatAt" | "updatedAt" | "currentTaskId" | "currentWorkOrderId">
>;

/**
 * Changes a registered worker (ElectroDB's patch: it must exist), optionally only while in
 * status `from` and while holding work order `holding`; null when it is gone or no longer so.
 * The worker as changed, or as it was before with `before`.
 */
export const update = async (
  ctx: Ctx,
  id: string,
  changes: Changes,
  options: { clearWork?: boolean; from?: WorkerStatus | undefined; holding?: string; before?: boolean } = {},
): Promise<WorkerItem | null> => {
  let write = ctx.db.worker.patch({ id }).set(changes);
  if (options.clearWork) write = write.remove(["currentTaskId", "currentWorkOrderId"]);
  const { from, holding } = options;
  if (from) write = write.where((attr, op) => op.eq(attr.status, from));
  if (holding) write = write.where((attr, op) => op.eq(attr.currentWorkOrderId, holding));
  try {
    const { data } = await write.go({ response: options.before ? "all_old" : "all_new" });
    return data as WorkerItem;
  } catch (err) {
    if (isConditionalFailure(err)) return null;
    throw err;
  }
};

/** Newest heartbeat first. */
export const byHeartbeat = async (ctx: Ctx, limit: number, cursor: string | null) =>
  ctx.db.worker.query.byHeartbeat({}).go({ order: "desc", limit, cursor });

/** The workers whose last heartbeat lies between two instants (ISO). */
export const heartbeatBetween = async (ctx: Ctx, from: string, to: string) =>
  (
    await ctx.db.worker.query
      .byHeartbeat({})
      .between({ lastHeartbeatAt: from }, { lastHeartbeatAt: to })
      .go({ pages: "all" })
  ).data;

/** The worker running as this process or ECS task (few workers: one partition, filtered). */
export const byRuntimeId = async (ctx: Ctx, runtimeId: string) =>
  (
    await ctx.db.worker.query
      .byHeartbeat({})
      .where((attr, op) => op.eq(attr.runtimeId, runtimeId))
      .go({ pages: "all" })
  ).data;
