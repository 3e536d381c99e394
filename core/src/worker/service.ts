import * as Activity from "../activity/service.ts";
import { later } from "../after.ts";
import * as Auth from "../auth/service.ts";
import { iso } from "../clock.ts";
import type { Ctx } from "../context.ts";
import type { WorkerStatus } from "../db/enums.ts";
import type { WorkerItem } from "../db/index.ts";
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
import * as Store from "./store.ts";

export const info = (ctx: Ctx, w: WorkerItem) =>
  toWorkerInfo(w, ctx.clock.now(), ctx.config.heartbeatIntervalMs);

const publish = (ctx: Ctx, w: WorkerItem) =>
  later(ctx, () => Realtime.publish(ctx, { type: "worker.updated", data: info(ctx, w) }));

export const load = async (ctx: Ctx, id: string): Promise<WorkerItem> => {
  const worker = await Store.get(ctx, id);
  if (!worker) throw notFound("worker", id);
  return worker;
};

/** A worker as the API shows it. */
export const get = async (ctx: Ctx, id: string): Promise<WorkerInfo> => info(ctx, await load(ctx, id));

/** Registers a worker and issues its own credential, returned once. */
export const register = async (ctx: Ctx, input: RegisterWorkerInput) => {
  const now = iso(ctx.clock.now());
  const id = newId();
  const data = await Store.insert(ctx, {
    ...input,
    id,
    status: "idle",
    lastHeartbeatAt: now,
    createdAt: now,
    updatedAt: now,
  });
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
  const result = await Store.byHeartbeat(ctx, query.limit, query.cursor ?? null);
  return { items: result.data.map((w) => info(ctx, w)), nextCursor: result.cursor };
};

export const heartbeat = async (ctx: Ctx, id: string, status?: "idle" | "error") => {
  const wasOffline = info(ctx, await load(ctx, id)).status === "offline";
  const now = iso(ctx.clock.now());
  // Status is written only when the worker reports one: busy/waiting follow its work, and a
  // blind write here would race with them.
  const updated = await Store.update(ctx, id, {
    lastHeartbeatAt: now,
    updatedAt: now,
    ...(status ? { status } : {}),
  });
  if (!updated) throw notFound("worker", id);
  if (status || wasOffline) await publish(ctx, updated);
  return updated;
};

/**
 * Moves a worker between idle/busy/waiting as its work goes; `work` null clears its current task.
 * The worker as written, or null when it is gone or no longer in `from`.
 */
export const setStatus = async (
  ctx: Ctx,
  id: string,
  status: WorkerStatus,
  work?: { taskId: string; workOrderId: string } | null,
  from?: WorkerStatus,
) => {
  const updated = await Store.update(
    ctx,
    id,
    {
      status,
      updatedAt: iso(ctx.clock.now()),
      ...(work ? { currentTaskId: work.taskId, currentWorkOrderId: work.workOrderId } : {}),
    },
    { clearWork: work === null, from },
  );
  // Null: deregistered meanwhile, or no longer in `from`; the change no longer applies.
  if (updated) await publish(ctx, updated);
  return updated;
};

/**
 * Sets a worker waiting for a request it is opening, alongside the check that it may (so both
 * take one round trip): the status it had, to go back to if refused; null when it is gone.
 */
export const startWaiting = async (ctx: Ctx, id: string): Promise<WorkerStatus | null> => {
  const updatedAt = iso(ctx.clock.now());
  const before = await Store.update(ctx, id, { status: "waiting", updatedAt }, { before: true });
  if (before) await publish(ctx, { ...before, status: "waiting", updatedAt });
  return before?.status ?? null;
};

/**
 * The holder of a work order that ended goes idle, unless it has claimed other work since (a
 * worker takes its next work while its last one's end is reported).
 */
export const free = async (ctx: Ctx, id: string, workOrderId: string) => {
  const changes = { status: "idle" as const, updatedAt: iso(ctx.clock.now()) };
  const updated = await Store.update(ctx, id, changes, { clearWork: true, holding: workOrderId });
  if (updated) await publish(ctx, updated);
};

/** Deregisters: the record goes and the worker's credential stops working. */
export const deregister = async (ctx: Ctx, id: string) => {
  const worker = await load(ctx, id);
  await Auth.revokeAll(ctx, id);
  await Store.remove(ctx, id);
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
  const recent = await Store.heartbeatBetween(ctx, iso(cutoff - ctx.config.reaperIntervalMs), iso(cutoff));
  const silent = recent.filter((w) => Date.parse(w.lastHeartbeatAt) < cutoff);
  await Promise.all(silent.map((w) => publish(ctx, w)));
  return silent.length;
};

/** Sets the desired worker count (ECS service on AWS, local processes) and records who did. */
export const scale = async (ctx: Ctx, desired: number, by: string) => {
  await ctx.scaler.setDesired(desired);
  await Activity.record(ctx, { type: "workers.scaled", summary: `${by} set the worker count to ${desired}` });
  return ctx.scaler.get();
};
