import { z } from "zod";
import { WORK_ORDER_STATUSES } from "../db/enums.ts";
import type { WorkOrderItem } from "../db/index.ts";
import { PRIORITIES } from "../resources.ts";

export const WorkOrderInfo = z.object({
  id: z.string(),
  taskId: z.string(),
  workerId: z.string().nullable(),
  status: z.enum(WORK_ORDER_STATUSES),
  priority: z.enum(PRIORITIES),
  enqueuedAt: z.string(),
  claimedAt: z.string().nullable(),
  completedAt: z.string().nullable(),
  retryCount: z.number().int(),
  leaseExpiresAt: z.string().nullable(),
  failureReason: z.string().nullable(),
});
export type WorkOrderInfo = z.infer<typeof WorkOrderInfo>;

export const toWorkOrderInfo = (w: WorkOrderItem): WorkOrderInfo => ({
  id: w.id,
  taskId: w.taskId,
  workerId: w.workerId ?? null,
  status: w.status,
  priority: w.priority,
  enqueuedAt: w.enqueuedAt,
  claimedAt: w.claimedAt ?? null,
  completedAt: w.completedAt ?? null,
  retryCount: w.retryCount,
  leaseExpiresAt: w.leaseExpiresAt ? new Date(w.leaseExpiresAt).toISOString() : null,
  failureReason: w.failureReason ?? null,
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
  })
  .refine((v) => !v.receiptHandle || (v.workOrderId && v.priority), {
    message: "receiptHandle needs workOrderId and priority",
    path: ["receiptHandle"],
  });
export const CompleteInput = z.object({ workOrderId: Id, output: z.string().max(1_000_000).optional() });
export const ReleaseInput = z.object({ workOrderId: Id });
export const FailInput = z.object({ workOrderId: Id, reason: z.string().trim().min(1).max(2000) });
export const EnqueueInput = z.object({ taskId: Id });

const Depth = z.object({ visible: z.number(), inFlight: z.number(), dead: z.number() });
export const QueueStats = z.object({
  queues: z.object({ high: Depth, normal: Depth, low: Depth }),
  totals: Depth,
  /** Work orders DynamoDB holds as claimed: what workers are doing now. */
  claimed: z.number(),
  at: z.string(),
});
export type QueueStats = z.infer<typeof QueueStats>;
