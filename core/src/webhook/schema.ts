import { z } from "zod";
import { infoOf, mapperOf } from "../db/fields.ts";
import type { WebhookItem } from "../db/index.ts";
import { WEBHOOK_EVENTS, webhookAttributes } from "../db/webhook.fields.ts";
import { webhookDeliveryAttributes } from "../db/webhook-delivery.fields.ts";

/** A webhook as the API shows it: whether it signs, never its secret. */
export const WebhookInfo = infoOf(webhookAttributes, ["secret"])
  .extend({ events: z.array(z.enum(WEBHOOK_EVENTS)).nullable(), hasSecret: z.boolean() })
  .meta({ id: "WebhookInfo" });
export type WebhookInfo = z.infer<typeof WebhookInfo>;

const fieldsOf = mapperOf(WebhookInfo);
export const toWebhookInfo = (w: WebhookItem): WebhookInfo => ({
  ...fieldsOf(w),
  events: (w.events as WebhookInfo["events"]) ?? null,
  hasSecret: !!w.secret,
});

/** One attempt at a delivery, as GET /webhooks/{id}/deliveries lists it. */
export const WebhookDeliveryInfo = infoOf(webhookDeliveryAttributes, ["expiresAt"]).meta({
  id: "WebhookDeliveryInfo",
});
export type WebhookDeliveryInfo = z.infer<typeof WebhookDeliveryInfo>;
export const toWebhookDeliveryInfo = mapperOf(WebhookDeliveryInfo);

const isHttp = (url: string) => URL.canParse(url) && ["http:", "https:"].includes(new URL(url).protocol);

/** An http(s) URL: AgentVine POSTs JSON there (a Slack incoming-webhook URL works as is). */
export const WebhookUrl = z.string().trim().max(2048).refine(isHttp, "must be an http:// or https:// URL");
/** The HMAC key receivers verify X-AgentVine-Signature with. */
export const WebhookSecret = z.string().min(16, "at least 16 characters").max(256);

export const CreateWebhookInput = z
  .object({
    url: WebhookUrl,
    secret: WebhookSecret.optional(),
    /** The events to send; absent: all of them. */
    events: z.array(z.enum(WEBHOOK_EVENTS)).min(1).optional(),
  })
  .strict();
export type CreateWebhookInput = z.infer<typeof CreateWebhookInput>;
