import { iso } from "../clock.ts";
import type { Ctx } from "../context.ts";
import type { SessionStatus } from "../db/enums.ts";
import { isConditionalFailure, type SessionItem } from "../db/index.ts";
import { notFound } from "../errors.ts";
import { sessionIdFor } from "../ids.ts";
import * as Realtime from "../realtime/service.ts";
import { toSessionInfo } from "./schema.ts";

export const policy = (ctx: Ctx) => ({
  idleMs: ctx.config.sessionIdleMs,
  maxAgeMs: ctx.config.sessionMaxAgeMs,
});

export const info = (ctx: Ctx, s: SessionItem) => toSessionInfo(s, policy(ctx));

/** A session by its id, or by the agent's own sessionId (the id is derived from it). */
export const load = async (ctx: Ctx, idOrSessionId: string): Promise<SessionItem> => {
  const byId = await ctx.db.session.get({ id: idOrSessionId }).go();
  const data = byId.data ?? (await ctx.db.session.get({ id: sessionIdFor(idOrSessionId) }).go()).data;
  if (!data) throw notFound("session", idOrSessionId);
  return data;
};

/** Session changes go to every person watching and to the session's worker. */
export const publish = (ctx: Ctx, s: SessionItem) =>
  Realtime.publish(
    ctx,
    { type: "session.updated", data: info(ctx, s) },
    { humans: true, workerIds: [s.workerId] },
  );

/** Sets fields on a session that is not terminated; null when it was (or is gone). */
export const change = async (
  ctx: Ctx,
  s: SessionItem,
  changes: Partial<
    Pick<
      SessionItem,
      "status" | "lastActivityAt" | "terminatedAt" | "terminationReason" | "executionId" | "taskId"
    >
  >,
): Promise<SessionItem | null> => {
  try {
    const { data } = await ctx.db.session
      .patch({ id: s.id })
      .set({ ...changes, updatedAt: iso(ctx.clock.now()) })
      .composite({ createdAt: s.createdAt })
      .where((attr, op) => op.ne(attr.status, "terminated"))
      .go({ response: "all_new" });
    const updated = { ...s, ...data } as SessionItem;
    await publish(ctx, updated);
    return updated;
  } catch (err) {
    if (isConditionalFailure(err)) return null;
    throw err;
  }
};

/** Agent activity keeps a session alive: output, messages, explicit heartbeats. */
export const touch = async (
  ctx: Ctx,
  s: SessionItem,
  status: Exclude<SessionStatus, "terminated"> = "active",
) => change(ctx, s, { lastActivityAt: iso(ctx.clock.now()), status });

/** The sessions a worker holds open for a task (the ones its messages and output keep alive). */
export const openFor = async (ctx: Ctx, workerId: string, taskId: string) => {
  const { data } = await ctx.db.session.query.byWorker({ workerId }).go({ order: "desc", pages: "all" });
  return data.filter((s) => s.taskId === taskId && s.status !== "terminated");
};
