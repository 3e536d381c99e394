import type { Ctx } from "../context.ts";
import type { SessionStatus } from "../db/enums.ts";
import { isConditionalFailure, type SessionItem } from "../db/index.ts";
import type { PageQuery } from "../page.ts";

/**
 * The session's access patterns, one function each: the only code that touches the session
 * entity. A failed conditional write is a return value here, never an exception.
 */

export const byId = async (ctx: Ctx, id: string) => (await ctx.db.session.get({ id }).go()).data;

/** Creates a session unless one with its id exists: false when it did. */
export const createNew = async (ctx: Ctx, session: SessionItem): Promise<boolean> => {
  try {
    await ctx.db.session.create(session).go();
    return true;
  } catch (err) {
    if (isConditionalFailure(err)) return false;
    throw err;
  }
};

export type SessionChanges = Partial<
  Pick<
    SessionItem,
    | "status"
    | "lastActivityAt"
    | "terminatedAt"
    | "terminationReason"
    | "executionId"
    | "taskId"
    | "parkedAt"
    | "workerId"
  >
>;

/** Sets fields on a session that is not terminated: the new item, or null when it was (or is gone). */
export const patchOpen = async (
  ctx: Ctx,
  s: SessionItem,
  changes: SessionChanges & { updatedAt: string },
): Promise<SessionItem | null> => {
  try {
    const { data } = await ctx.db.session
      .patch({ id: s.id })
      .set(changes)
      // Status is the byStatus partition: ElectroDB rebuilds that key and needs its sort composites.
      .composite({ createdAt: s.createdAt })
      .where((attr, op) => op.ne(attr.status, "terminated"))
      .go({ response: "all_new" });
    return { ...s, ...data } as SessionItem;
  } catch (err) {
    if (isConditionalFailure(err)) return null;
    throw err;
  }
};

/** A worker's sessions, newest first. */
export const ofWorker = async (ctx: Ctx, workerId: string) =>
  (await ctx.db.session.query.byWorker({ workerId }).go({ order: "desc", pages: "all" })).data;

/** Every session in a status (the reaper's sweep). */
export const inStatus = async (ctx: Ctx, status: SessionStatus) =>
  (await ctx.db.session.query.byStatus({ status }).go({ pages: "all" })).data;

/** A page of sessions, newest first, optionally of one status. */
export const page = (ctx: Ctx, query: PageQuery & { status?: SessionStatus | undefined }) => {
  const options = { order: "desc", limit: query.limit, cursor: query.cursor ?? null } as const;
  return query.status
    ? ctx.db.session.query.byStatus({ status: query.status }).go(options)
    : ctx.db.session.query.timeline({}).go(options);
};
