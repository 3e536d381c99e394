import { fields } from "./fields.ts";

/** What a webhook can be told: a person must act, a task ended, a run looks like it did nothing. */
export const WEBHOOK_EVENTS = ["input.needed", "task.completed", "task.failed", "task.suspicious"] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];

export const webhookAttributes = fields({
  id: { type: "string", required: true },
  url: { type: "string", required: true },
  /** The HMAC key of its signatures: kept to sign with, never shown (WebhookInfo has hasSecret). */
  secret: { type: "string" },
  /** The events it wants (WEBHOOK_EVENTS, checked on the way in); absent: all of them. */
  events: { type: "list", items: { type: "string" } },
  createdAt: { type: "string", required: true },
  createdBy: { type: "string", required: true },
});
