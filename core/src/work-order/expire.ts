import * as Activity from "../activity/service.ts";
import { later } from "../after.ts";
import * as Chat from "../chat/service.ts";
import { iso } from "../clock.ts";
import type { Ctx } from "../context.ts";
import type { WorkOrderItem } from "../db/index.ts";
import type { VisibleError } from "../errors.ts";
import * as Execution from "../execution/service.ts";
import { sessionIdFor } from "../ids.ts";
import * as SessionState from "../session/state.ts";
import * as TaskState from "../task/state.ts";
import * as Store from "./store.ts";

/** Hours as people read them; minutes or seconds below that (short limits in tests and demos). */
const duration = (ms: number) =>
  ms < 60_000
    ? `${Math.round(ms / 1000)} s`
    : ms < 3_600_000
      ? `${Math.round(ms / 60_000)} min`
      : `${Math.round(ms / 3_600_000)} h`;

/**
 * A parked run that will never resume: its execution fails, its agent session is terminated
 * and its snapshot deleted. Each step takes what is already gone.
 */
export const closeParkedRun = async (
  ctx: Ctx,
  run: { sessionId: string; snapshotKey: string },
  reason: string,
) => {
  const session = await SessionState.load(ctx, sessionIdFor(run.sessionId)).catch((err) => {
    if ((err as VisibleError).code === "session.not_found") return null;
    throw err;
  });
  const execution = session?.executionId ? await Execution.get(ctx, session.executionId) : null;
  // The execution first: its end marks the session idle, the termination below then holds.
  if (execution?.status === "parked") await Execution.finish(ctx, execution, "failed");
  const ended =
    session &&
    (await SessionState.change(ctx, session, {
      status: "terminated",
      terminatedAt: iso(ctx.clock.now()),
      terminationReason: reason,
    }));
  await Promise.all([
    ctx.blob.delete(run.snapshotKey),
    ended && later(ctx, () => SessionState.recordTerminated(ctx, ended, reason)),
  ]);
};

/**
 * Ends a parked work order that will never resume (expired, cancelled) and its task with it.
 * The work order's write decides against a resume (both need it parked and not yet resumed),
 * so a late answer and an expiry exclude each other: false when the resume came first.
 */
export const dropParked = async (
  ctx: Ctx,
  wo: WorkOrderItem,
  outcome: { reason: string; taskStatus: "failed" | "cancelled" },
): Promise<boolean> => {
  const { park } = wo;
  if (!park || !(await Store.endParked(ctx, wo, outcome.reason))) return false;
  const { reason, taskStatus } = outcome;
  await Promise.all([
    TaskState.load(ctx, wo.taskId).then(async (task) => {
      const changes = { status: taskStatus, completedAt: iso(ctx.clock.now()) };
      await TaskState.changeIf(
        ctx,
        task,
        taskStatus === "failed" ? { ...changes, failureReason: reason } : changes,
        ["waiting"],
      );
      await later(ctx, () =>
        Activity.record(ctx, {
          type: `task.${taskStatus}`,
          summary: `"${task.title}" ${taskStatus}: ${reason}`,
          taskId: task.id,
        }),
      );
    }),
    Chat.closeOpen(ctx, wo.taskId, `The task ${taskStatus}: ${reason}`),
    closeParkedRun(ctx, park, reason),
  ]);
  return true;
};

/** The reaper's step: a run parked longer than parkMaxMs fails its task with the reason. */
export const expireParked = async (ctx: Ctx): Promise<number> => {
  const now = ctx.clock.now();
  const limit = ctx.config.parkMaxMs;
  let expired = 0;
  for (const wo of await Store.byStatus(ctx, "parked")) {
    if (!wo.park || wo.park.resumedBy) continue;
    const waited = now - Date.parse(wo.park.parkedAt);
    if (waited < limit) continue;
    const reason = `Parked ${duration(waited)} with no answer (limit ${duration(limit)})`;
    if (await dropParked(ctx, wo, { reason, taskStatus: "failed" })) expired++;
  }
  return expired;
};
