import { SESSION_STATUSES } from "./enums.ts";
import { fields, timestamps } from "./fields.ts";

export const sessionAttributes = fields({
  id: { type: "string", required: true },
  sessionId: { type: "string", required: true },
  workerId: { type: "string", required: true },
  taskId: { type: "string" },
  executionId: { type: "string" },
  status: { type: SESSION_STATUSES, required: true },
  lastActivityAt: { type: "string", required: true },
  ...timestamps,
  /** When its run was parked; cleared when an answer reopens it. */
  parkedAt: { type: "string" },
  /** When an answer last reopened it: its age counts from then, not from the first open. */
  resumedAt: { type: "string" },
  terminatedAt: { type: "string" },
  terminationReason: { type: "string" },
});
