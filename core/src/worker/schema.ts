import { z } from "zod";
import { WORKER_STATUSES } from "../db/enums.ts";
import type { WorkerItem } from "../db/index.ts";

const WorkerInfoFields = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(WORKER_STATUSES),
  lastHeartbeatAt: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  currentTaskId: z.string().nullable(),
  currentWorkOrderId: z.string().nullable(),
  host: z.string().nullable(),
  pid: z.number().nullable(),
  runtimeId: z.string().nullable(),
});
/** A named component of the OpenAPI document, so clients get a `WorkerInfo` type. */
export const WorkerInfo = WorkerInfoFields.meta({ id: "WorkerInfo" });
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

export const toWorkerInfo = (w: WorkerItem, now: number, heartbeatIntervalMs: number): WorkerInfo => ({
  id: w.id,
  name: w.name,
  status:
    Date.parse(w.lastHeartbeatAt) < now - OFFLINE_AFTER_INTERVALS * heartbeatIntervalMs
      ? "offline"
      : w.status,
  lastHeartbeatAt: w.lastHeartbeatAt,
  createdAt: w.createdAt,
  updatedAt: w.updatedAt,
  currentTaskId: w.currentTaskId ?? null,
  currentWorkOrderId: w.currentWorkOrderId ?? null,
  host: w.host ?? null,
  pid: w.pid ?? null,
  runtimeId: w.runtimeId ?? null,
});
