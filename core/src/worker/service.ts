import * as Activity from "../activity/service.ts";
import * as Auth from "../auth/service.ts";
import { iso } from "../clock.ts";
import type { Ctx } from "../context.ts";
import type { WorkerStatus } from "../db/enums.ts";
import { isConditionalFailure, type WorkerItem } from "../db/index.ts";
import { notFound } from "../errors.ts";
import { newId } from "../ids.ts";
import type { Page, PageQuery } from "../page.ts";
import * as Realtime from "../realtime/service.ts";
import {
  OFFLINE_AFTER_INTERVALS,
  type RegisterWorkerInput,
  toWorkerInfo,
  type WorkerInfo,
} from "./schema.ts";

export const info = (ctx: Ctx, w: WorkerItem) =>
  toWorkerInfo(w, ctx.clock.now(), ctx.config.heartbeatIntervalMs);

const publish = (ctx: Ctx, w: WorkerItem) =>
  Realtime.publish(ctx, { type: "worker.updated", data: info(ctx, w) });

export const load = async (ctx: Ctx, id: string): Promise<WorkerItem> => {
  const { data } = await ctx.db.worker.get({ id }).go();
  if (!data) throw notFound("worker", id);
  return data;
};

/** Registers a worker and issues its own credential, returned once. */
export const register = async (ctx: Ctx, input: RegisterWorkerInput) => {
  const now = iso(ctx.clock.now());
  const id = newId();
  const { data } = await ctx.db.worker
    .create({ ...input, id, status: "idle", lastHeartbeatAt: now, createdAt: now, updatedAt: now })
    .go();
  const { token } = await Auth.issueToken(ctx, {
    name: `worker ${input.name}`,
    role: "worker",
    principalId: id,
  });
  await publish(ctx, data);
  return { worker: info(ctx, data), token };
};

/** Workers newest heartbeat first. */
export const list = async (ctx: Ctx, query: PageQuery): Promise<Page<WorkerInfo>> => {
  const result = await ctx.db.worker.query
    .byHeartbeat({})
    .go({ order: "desc", limit: query.limit, cursor: query.cursor ?? null });
  return { items: result.data.map((w) => info(ctx, w)), nextCursor: result.cursor };
};

export const heartbeat = async (ctx: Ctx, id: string, status?: "idle" | "error") => {
  const wasOffline = info(ctx, await load(ctx, id)).status === "offline";
  const now = iso(ctx.clock.now());
  // Status is written only when the worker reports one: busy/waiting follow its work, and a
  // blind write here would race with them.
  const { data } = await ctx.db.worker
    .patch({ id })
    .set({ lastHeartbeatAt: now, updatedAt: now, ...(status ? { status } : {}) })
    .go({ response: "all_new" });
  const updated = data as WorkerItem;
  if (status || wasOffline) await publish(ctx, updated);
  return updated;
};

/** Moves a worker between idle/busy/waiting as its work goes; `work` null clears its current task. */
export const setStatus = async (
  ctx: Ctx,
  id: string,
  status: WorkerStatus,
  work?: { taskId: string; workOrderId: string } | null,
  from?: WorkerStatus,
) => {
  let update = ctx.db.worker.patch({ id }).set({
    status,
    updatedAt: iso(ctx.clock.now()),
    ...(work ? { currentTaskId: work.taskId, currentWorkOrderId: work.workOrderId } : {}),
  });
  if (work === null) update = update.remove(["currentTaskId", "currentWorkOrderId"]);
  try {
    const { data } = await (from ? update.where((attr, op) => op.eq(attr.status, from)) : update).go({
      response: "all_new",
    });
    await publish(ctx, data as WorkerItem);
  } catch (err) {
    // Deregistered meanwhile, or no longer in `from`: the change no longer applies.
    if (!isConditionalFailure(err)) throw err;
  }
};

/** Deregisters: the record goes and the worker's credential stops working. */
export const deregister = async (ctx: Ctx, id: string) => {
  const worker = await load(ctx, id);
  await Auth.revokeAll(ctx, id);
  await ctx.db.worker.delete({ id }).go();
  await publish(ctx, { ...worker, status: "offline" });
};

/**
 * Announces the workers that went silent since the last run. Offline is not stored: it is read
 * off the heartbeat (toWorkerInfo), so it can never race with the status a worker's own work
 * sets. This only pushes `worker.updated` for those whose last heartbeat crossed the line within
 * one reaper interval (a range query on the heartbeat index), so each is announced once.
 */
export const markOffline = async (ctx: Ctx) => {
  const cutoff = ctx.clock.now() - OFFLINE_AFTER_INTERVALS * ctx.config.heartbeatIntervalMs;
  const { data } = await ctx.db.worker.query
    .byHeartbeat({})
    .between({ lastHeartbeatAt: iso(cutoff - ctx.config.reaperIntervalMs) }, { lastHeartbeatAt: iso(cutoff) })
    .go({ pages: "all" });
  const silent = data.filter((w) => Date.parse(w.lastHeartbeatAt) < cutoff);
  await Promise.all(silent.map((w) => publish(ctx, w)));
  return silent.length;
};

/** Sets the desired worker count (ECS service on AWS, local processes) and records who did. */
export const scale = async (ctx: Ctx, desired: number, by: string) => {
  await ctx.scaler.setDesired(desired);
  await Activity.record(ctx, { type: "workers.scaled", summary: `${by} set the worker count to ${desired}` });
  return ctx.scaler.get();
};
