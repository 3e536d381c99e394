import { validate, version } from "uuid";
import * as Activity from "../activity/service.ts";
import { later } from "../after.ts";
import { iso } from "../clock.ts";
import type { Ctx } from "../context.ts";
import type { SessionStatus } from "../db/enums.ts";
import type { SessionItem } from "../db/index.ts";
import { notFound } from "../errors.ts";
import { sessionIdFor } from "../ids.ts";
import * as Realtime from "../realtime/service.ts";
import { toSessionInfo } from "./schema.ts";
import * as Store from "./store.ts";

export const policy = (ctx: Ctx) => ({
  idleMs: ctx.config.sessionIdleMs,
  maxAgeMs: ctx.config.sessionMaxAgeMs,
  parkMaxMs: ctx.config.parkMaxMs,
});

export const info = (ctx: Ctx, s: SessionItem) => toSessionInfo(s, policy(ctx));

/**
 * A session by its id, or by the agent's own sessionId (the id is derived from it). Ids are v5
 * UUIDs, so anything else can only be a sessionId: one read. A v5 UUID is read as an id first,
 * and as a sessionId only when no session has that id.
 */
export const load = async (ctx: Ctx, idOrSessionId: string): Promise<SessionItem> => {
  const maybeId = validate(idOrSessionId) && version(idOrSessionId) === 5;
  const data =
    (maybeId ? await Store.byId(ctx, idOrSessionId) : null) ??
    (await Store.byId(ctx, sessionIdFor(idOrSessionId)));
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

/**
 * Sets fields on a session that is not terminated and tells, without holding the caller (a
 * keep-alive rides on every progress report and message); null when it was (or is gone).
 */
export const change = async (
  ctx: Ctx,
  s: SessionItem,
  changes: Store.SessionChanges,
): Promise<SessionItem | null> => {
  const updated = await Store.patchOpen(ctx, s, { ...changes, updatedAt: iso(ctx.clock.now()) });
  if (updated) await later(ctx, () => publish(ctx, updated));
  return updated;
};

/**
 * Agent activity keeps a session alive: output, messages, explicit heartbeats. A parked one
 * stays parked: only the resume of its run opens it again.
 */
export const touch = async (
  ctx: Ctx,
  s: SessionItem,
  status: Exclude<SessionStatus, "terminated"> = "active",
) =>
  change(ctx, s, { lastActivityAt: iso(ctx.clock.now()), status: s.status === "parked" ? "parked" : status });

/**
 * `touch` for a session known by id. Kept active (a running execution's progress), it is most
 * likely active already: one write, and only a session in another status is read first. Null
 * when gone or terminated.
 */
export const touchById = async (
  ctx: Ctx,
  id: string,
  status: "active" | "idle" = "active",
): Promise<SessionItem | null> => {
  const touched = status === "active" ? await Store.touchActive(ctx, id, iso(ctx.clock.now())) : null;
  if (touched) {
    await later(ctx, () => publish(ctx, touched));
    return touched;
  }
  const session = await Store.byId(ctx, id);
  return session && touch(ctx, session, status);
};

/** The sessions a worker holds open for a task (the ones its messages and output keep alive). */
export const openFor = async (ctx: Ctx, workerId: string, taskId: string) =>
  (await Store.ofWorker(ctx, workerId)).filter((s) => s.taskId === taskId && s.status !== "terminated");

/** The timeline's line for a session terminated with `reason` (by a person, the reaper, or a park that ended). */
export const recordTerminated = (ctx: Ctx, session: SessionItem, reason: string) =>
  Activity.record(ctx, {
    type: "session.terminated",
    summary: `Session ${session.sessionId} terminated: ${reason}`,
    sessionId: session.id,
    workerId: session.workerId,
    ...(session.taskId ? { taskId: session.taskId } : {}),
  });
