import { z } from "zod";
import { infoOf, mapperOf } from "../db/fields.ts";
import type { WorkerItem } from "../db/index.ts";
import { workerAttributes } from "../db/worker.fields.ts";

/** A named component of the OpenAPI document, so clients get a `WorkerInfo` type. */
export const WorkerInfo = infoOf(workerAttributes).meta({ id: "WorkerInfo" });
export type WorkerInfo = z.infer<typeof WorkerInfo>;

export const RegisterWorkerInput = z.object({
  name: z.string().trim().min(1).max(100),
  host: z.string().max(255).optional(),
  pid: z.number().int().positive().optional(),
  runtimeId: z.string().max(2048).optional(),
});
export type RegisterWorkerInput = z.infer<typeof RegisterWorkerInput>;

export const HeartbeatInput = z.object({
  /** A worker may report trouble (error) or recovery (idle); busy/waiting follow its work. */
  status: z.enum(["idle", "error"]).optional(),
});

export const ScaleInput = z.object({ desired: z.number().int().min(0).max(100) });
const ScaleInfoFields = z.object({ desired: z.number(), running: z.number() });
/** A named component of the OpenAPI document, so clients get a `ScaleInfo` type. */
export const ScaleInfo = ScaleInfoFields.meta({ id: "ScaleInfo" });

/** A worker silent for this many heartbeat intervals is shown offline. */
export const OFFLINE_AFTER_INTERVALS = 3;

const fieldsOf = mapperOf(WorkerInfo);

/** Offline is not stored: it is read off the heartbeat, so it never races with the worker's own status. */
export const toWorkerInfo = (w: WorkerItem, now: number, heartbeatIntervalMs: number): WorkerInfo => ({
  ...fieldsOf(w),
  status:
    Date.parse(w.lastHeartbeatAt) < now - OFFLINE_AFTER_INTERVALS * heartbeatIntervalMs
      ? "offline"
      : w.status,
});
