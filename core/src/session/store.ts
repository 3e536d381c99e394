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
    | "resumedAt"
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

/**
 * Marks activity on a session that is active, without reading it first (its status, a key,
 * does not change): the new item, or null when it is not active (or is gone).
 */
export const touchActive = async (ctx: Ctx, id: string, now: string): Promise<SessionItem | null> => {
  try {
    const { data } = await ctx.db.session
      .patch({ id })
      .set({ lastActivityAt: now, updatedAt: now })
      .where((attr, op) => op.eq(attr.status, "active"))
      .go({ response: "all_new" });
    return data as SessionItem;
  } catch (err) {
    if (isConditionalFailure(err)) return null;
    throw err;
  }
};

/**
 * Opens a parked session again for the worker that resumes its run: active, on that worker.
 * Not while terminated (an expiry or a cancel came first); from active or idle too, as an
 * answer can resume a run before its park has finished. The session reopened (its executionId
 * is still the run resumed), or null when there is none to reopen.
 */
export const reopen = async (
  ctx: Ctx,
  id: string,
  workerId: string,
  now: string,
): Promise<SessionItem | null> => {
  const before = await byId(ctx, id);
  if (!before || before.status === "terminated") return null;
  try {
    const { data } = await ctx.db.session
      .patch({ id })
      .set({ status: "active", workerId, lastActivityAt: now, resumedAt: now, updatedAt: now })
      .remove(["parkedAt"])
      .composite({ createdAt: before.createdAt })
      .where((attr, op) => op.ne(attr.status, "terminated"))
      .go({ response: "all_new" });
    const { parkedAt: _, ...rest } = { ...before, ...data } as SessionItem;
    return rest;
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
