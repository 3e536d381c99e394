import { z } from "zod";
import { WEBHOOK_EVENTS } from "../db/webhook.fields.ts";

/**
 * One event as every webhook receives it (the POST body adds its one-line `text`): its data
 * names the task it is about, so the text can link to it.
 */
export const WebhookEvent = z.object({
  id: z.string().min(1),
  type: z.enum(WEBHOOK_EVENTS),
  createdAt: z.string(),
  data: z.looseObject({ task: z.looseObject({ id: z.string(), title: z.string() }) }),
});
export type WebhookEvent = z.infer<typeof WebhookEvent>;

/**
 * A message of the webhook queue: a new event (for every webhook that wants it), or the next
 * attempt at one webhook's delivery of it.
 */
export const WebhookMessage = z.object({
  event: WebhookEvent,
  webhookId: z.string().min(1).optional(),
  attempt: z.number().int().min(1).optional(),
});
export type WebhookMessage = z.infer<typeof WebhookMessage>;
