import { epochSeconds, iso } from "../clock.ts";
import type { Config } from "../config.ts";
import type { Ctx } from "../context.ts";
import type { WebhookItem } from "../db/index.ts";
import { newId } from "../ids.ts";
import { log } from "../log.ts";
import { type WebhookEvent, WebhookMessage } from "./message.ts";
import { postJson } from "./post.ts";
import { signature } from "./signing.ts";
import * as Store from "./store.ts";
import { textOf } from "./text.ts";

/** Tries at one delivery, the first included; about 15 min from first to last with the default backoff. */
export const MAX_ATTEMPTS = 6;
/** SQS delays a message 15 min at most. */
const MAX_DELAY_SECONDS = 900;

export interface DeliveryOptions {
  /** On AWS (the delivery Lambda): no delivery to link-local or metadata addresses. */
  refuseInternal?: boolean;
}

/** The wait before attempt `attempt + 1`: doubling from the base, capped. */
export const backoffSeconds = (config: Config, attempt: number) =>
  Math.min(
    MAX_DELAY_SECONDS,
    Math.round(Math.min(config.webhookRetryCapMs, config.webhookRetryBaseMs * 2 ** (attempt - 1)) / 1000),
  );

const wants = (webhook: WebhookItem, event: WebhookEvent) =>
  !webhook.events || webhook.events.includes(event.type);

/** One POST of the event to the webhook, recorded; a failure queues the next attempt with its backoff. */
const attempt = async (
  ctx: Ctx,
  webhook: WebhookItem,
  event: WebhookEvent,
  n: number,
  options: DeliveryOptions,
) => {
  const id = newId();
  const body = JSON.stringify({ ...event, text: textOf(event, ctx.config.publicUrl) });
  const headers = {
    "user-agent": "AgentVine-Webhook/1",
    "x-agentvine-event": event.type,
    "x-agentvine-delivery": id,
    ...(webhook.secret ? { "x-agentvine-signature": signature(body, webhook.secret) } : {}),
  };
  const started = performance.now();
  const result = await postJson(webhook.url, body, headers, {
    timeoutMs: ctx.config.webhookTimeoutMs,
    refuseInternal: options.refuseInternal ?? false,
  });
  const durationMs = Math.round(performance.now() - started);
  const delivered = "status" in result && result.status >= 200 && result.status < 300;
  const retry =
    !delivered && !("refused" in result && result.refused) && n < MAX_ATTEMPTS && ctx.webhookQueue;
  const now = ctx.clock.now();
  await Store.recordDelivery(ctx, {
    id,
    webhookId: webhook.id,
    eventId: event.id,
    type: event.type,
    attempt: n,
    outcome: delivered ? "delivered" : retry ? "retrying" : "failed",
    ...("status" in result ? { httpStatus: result.status } : { error: result.error }),
    at: iso(now),
    durationMs,
    expiresAt: epochSeconds(now + ctx.config.activityTtlMs),
  });
  if (retry)
    await retry.send({ event, webhookId: webhook.id, attempt: n + 1 }, backoffSeconds(ctx.config, n));
  if (!delivered)
    log.info(
      { webhookId: webhook.id, eventId: event.id, attempt: n, retry: !!retry },
      "webhook delivery failed",
    );
};

/**
 * The delivery handler of the webhook queue (the delivery Lambda on AWS, the local runtime's
 * consumer loop): a new event goes to every webhook that wants it, a retry to its one webhook.
 * A message that is not one is dropped with a log line (redelivering it would not mend it); a
 * store or queue failure throws, and the message comes back after its visibility timeout.
 */
export const handle = async (ctx: Ctx, body: string, options: DeliveryOptions = {}) => {
  let message: WebhookMessage;
  try {
    message = WebhookMessage.parse(JSON.parse(body));
  } catch (err) {
    log.warn({ err }, "webhook queue message dropped: not a webhook message");
    return;
  }
  const { event, webhookId } = message;
  const webhooks = webhookId
    ? [await Store.get(ctx, webhookId)].filter((w): w is WebhookItem => w !== null)
    : (await Store.all(ctx)).filter((w) => wants(w, event));
  await Promise.all(webhooks.map((w) => attempt(ctx, w, event, message.attempt ?? 1, options)));
};
