import { fields } from "./fields.ts";

export const WEBHOOK_OUTCOMES = ["delivered", "failed", "retrying"] as const;

export const webhookDeliveryAttributes = fields({
  /** Also the X-AgentVine-Delivery header of the attempt. */
  id: { type: "string", required: true },
  webhookId: { type: "string", required: true },
  /** The event's id (the body's `id`): the same on every attempt at it. */
  eventId: { type: "string", required: true },
  type: { type: "string", required: true },
  attempt: { type: "number", required: true },
  /** retrying: it failed and another attempt is queued; failed: it was the last. */
  outcome: { type: WEBHOOK_OUTCOMES, required: true },
  httpStatus: { type: "number" },
  error: { type: "string" },
  at: { type: "string", required: true },
  durationMs: { type: "number", required: true },
  expiresAt: { type: "number", required: true },
});
