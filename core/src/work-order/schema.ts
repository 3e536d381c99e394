import { z } from "zod";
import { infoOf, mapperOf } from "../db/fields.ts";
import type { WorkOrderItem } from "../db/index.ts";
import { workOrderAttributes } from "../db/work-order.fields.ts";
import { ExecutionReport } from "../execution/schema.ts";
import { PRIORITIES } from "../resources.ts";

/** A work order as the API shows it: its SQS bookkeeping stays inside; the lease is an instant. */
const WorkOrderInfoFields = infoOf(workOrderAttributes, ["receiptHandle", "sentAt", "taskCreatedAt"]).extend({
  retryCount: z.number().int(),
  leaseExpiresAt: z.string().nullable(),
});
/** A named component of the OpenAPI document, so clients get a `WorkOrderInfo` type. */
export const WorkOrderInfo = WorkOrderInfoFields.meta({ id: "WorkOrderInfo" });
export type WorkOrderInfo = z.infer<typeof WorkOrderInfo>;

const fieldsOf = mapperOf(WorkOrderInfo);

export const toWorkOrderInfo = (w: WorkOrderItem): WorkOrderInfo => ({
  ...fieldsOf(w),
  leaseExpiresAt: w.leaseExpiresAt ? new Date(w.leaseExpiresAt).toISOString() : null,
  // Nested fields are not filled by the mapper: a park not resumed says so with null.
  park: w.park ? { ...w.park, resumedBy: w.park.resumedBy ?? null } : null,
});

const Id = z.string().min(1).max(64);
export const ClaimInput = z
  .object({
    workerId: Id,
    /** Claim this work order rather than the next one in priority order (409 if taken). */
    workOrderId: Id.optional(),
    /** The SQS delivery the worker received the work order by (workers that read SQS themselves). */
    receiptHandle: z.string().min(1).max(4096).optional(),
    priority: z.enum(PRIORITIES).optional(),
    /** The delivery's message as received (taskId, enqueuedAt, taskCreatedAt): the claim then needs no read first. */
    taskId: Id.optional(),
    enqueuedAt: z.iso.datetime().optional(),
    taskCreatedAt: z.iso.datetime().optional(),
  })
  .refine((v) => !v.receiptHandle || (v.workOrderId && v.priority), {
    message: "receiptHandle needs workOrderId and priority",
    path: ["receiptHandle"],
  })
  .refine((v) => !v.enqueuedAt || v.receiptHandle, {
    message: "enqueuedAt comes from a delivery's message: it needs receiptHandle",
    path: ["enqueuedAt"],
  })
  .refine((v) => !v.taskCreatedAt || (v.enqueuedAt && v.taskId), {
    message: "taskCreatedAt comes from a delivery's message: it needs enqueuedAt and taskId",
    path: ["taskCreatedAt"],
  });
/** The end of a run: complete and fail both carry the agent's report (a failed run costs too). */
export const CompleteInput = z.object({
  workOrderId: Id,
  output: z.string().max(1_000_000).optional(),
  report: ExecutionReport.optional(),
});
export type CompleteInput = z.infer<typeof CompleteInput>;
export const ReleaseInput = z.object({ workOrderId: Id });
export const FailInput = z.object({
  workOrderId: Id,
  reason: z.string().trim().min(1).max(2000),
  report: ExecutionReport.optional(),
});
export type FailInput = z.infer<typeof FailInput>;
export const EnqueueInput = z.object({ taskId: Id });
/**
 * A worker parks the run of a work order it holds: its request has waited long enough, and its
 * snapshot is in the blob store under `snapshots/<taskId>/<workOrderId>`.
 */
export const ParkInput = z.object({
  workOrderId: Id,
  /** The open request (question or approval) the run waits on: its answer resumes the run. */
  requestId: Id,
  snapshotKey: z
    .string()
    .max(512)
    .regex(
      /^snapshots\/[A-Za-z0-9_-][A-Za-z0-9._-]*\/[A-Za-z0-9_-][A-Za-z0-9._-]*$/,
      "snapshotKey must be snapshots/<taskId>/<id>",
    ),
  snapshotBytes: z.number().int().nonnegative(),
  /** What the run did and used up to the park: kept on its (parked) execution. */
  report: ExecutionReport.optional(),
});
export type ParkInput = z.infer<typeof ParkInput>;

const Depth = z.object({ visible: z.number(), inFlight: z.number(), dead: z.number() });
const QueueStatsFields = z.object({
  queues: z.object({ high: Depth, normal: Depth, low: Depth }),
  totals: Depth,
  /** Work orders DynamoDB holds as claimed: what workers are doing now. */
  claimed: z.number(),
  at: z.string(),
});
/** A named component of the OpenAPI document, so clients get a `QueueStats` type. */
export const QueueStats = QueueStatsFields.meta({ id: "QueueStats" });
export type QueueStats = z.infer<typeof QueueStats>;
