import { PRIORITIES } from "../resources.ts";
import { WORK_ORDER_STATUSES } from "./enums.ts";
import { fields } from "./fields.ts";

export const workOrderAttributes = fields({
  id: { type: "string", required: true },
  taskId: { type: "string", required: true },
  workerId: { type: "string" },
  status: { type: WORK_ORDER_STATUSES, required: true },
  priority: { type: PRIORITIES, required: true },
  enqueuedAt: { type: "string", required: true },
  /** Its task's createdAt, for the message (see WorkOrderMessage); absent on older work orders. */
  taskCreatedAt: { type: "string" },
  claimedAt: { type: "string" },
  completedAt: { type: "string" },
  retryCount: { type: "number", required: true, default: 0 },
  /** Epoch ms; a claim whose lease has passed may be taken over by another worker. */
  leaseExpiresAt: { type: "number" },
  /** The SQS receipt of the claiming delivery: used to extend visibility and delete. */
  receiptHandle: { type: "string" },
  /** Epoch ms of the last SendMessage, for the reconciler. */
  sentAt: { type: "number", required: true },
  failureReason: { type: "string" },
  /** A work order that ended by parking: where its run waits, and which work order resumed it. */
  park: {
    type: "map",
    properties: {
      parkedAt: { type: "string", required: true },
      requestId: { type: "string", required: true },
      snapshotKey: { type: "string", required: true },
      snapshotBytes: { type: "number", required: true },
      sessionId: { type: "string", required: true },
      executionId: { type: "string", required: true },
      resumedBy: { type: "string" },
    },
  },
  /** A resume work order: the parked one it continues, and the answer it continues from. */
  resume: {
    type: "map",
    properties: {
      fromWorkOrderId: { type: "string", required: true },
      sessionId: { type: "string", required: true },
      snapshotKey: { type: "string", required: true },
      requestId: { type: "string", required: true },
    },
  },
});
