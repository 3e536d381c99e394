import { fields } from "./fields.ts";
import { entity, gsi, keyedBy } from "./table.ts";

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

/** One attempt to POST an event to a webhook; expires with the activity timeline. */
export const webhookDeliveryEntity = entity("webhookDelivery", webhookDeliveryAttributes, {
  primary: keyedBy("id"),
  byWebhook: gsi(1, ["webhookId"], ["at", "id"]),
});
