import { iso } from "../clock.ts";
import type { Actor, Ctx } from "../context.ts";
import { notFound } from "../errors.ts";
import { newId } from "../ids.ts";
import { type Page, type PageQuery, toPage } from "../page.ts";
import {
  type CreateWebhookInput,
  toWebhookDeliveryInfo,
  toWebhookInfo,
  type WebhookDeliveryInfo,
  type WebhookInfo,
  WebhookSecret,
  WebhookUrl,
} from "./schema.ts";
import * as Store from "./store.ts";

/** The id of the webhook AGENTVINE_WEBHOOK_URL configures. */
export const ENV_WEBHOOK_ID = "env";

export const create = async (ctx: Ctx, actor: Actor, input: CreateWebhookInput): Promise<WebhookInfo> => {
  const item = { id: newId(), ...input, createdAt: iso(ctx.clock.now()), createdBy: actor.name };
  await Store.put(ctx, item);
  return toWebhookInfo(item);
};

export const list = async (ctx: Ctx, query: PageQuery): Promise<Page<WebhookInfo>> =>
  toPage(await Store.page(ctx, query.limit, query.cursor ?? null), toWebhookInfo);

const load = async (ctx: Ctx, id: string) => {
  const webhook = await Store.get(ctx, id);
  if (!webhook) throw notFound("webhook", id);
  return webhook;
};

export const remove = async (ctx: Ctx, id: string) => {
  await load(ctx, id);
  await Store.remove(ctx, id);
};

/** Every attempt at delivering to a webhook, newest first. */
export const deliveries = async (
  ctx: Ctx,
  id: string,
  query: PageQuery,
): Promise<Page<WebhookDeliveryInfo>> => {
  await load(ctx, id);
  return toPage(await Store.deliveries(ctx, id, query.limit, query.cursor ?? null), toWebhookDeliveryInfo);
};

/**
 * At start: AGENTVINE_WEBHOOK_URL (and AGENTVINE_WEBHOOK_SECRET) make the webhook "env", or
 * bring it up to date; without them it is removed. The environment is its only source.
 */
export const ensureFromEnv = async (
  ctx: Ctx,
  env: { url?: string | undefined; secret?: string | undefined },
) => {
  const existing = await Store.get(ctx, ENV_WEBHOOK_ID);
  if (!env.url) {
    if (existing) await Store.remove(ctx, ENV_WEBHOOK_ID);
    return;
  }
  const url = WebhookUrl.parse(env.url, { error: () => "AGENTVINE_WEBHOOK_URL must be an http(s) URL" });
  const secret =
    env.secret === undefined
      ? undefined
      : WebhookSecret.parse(env.secret, {
          error: () => "AGENTVINE_WEBHOOK_SECRET must be 16 to 256 characters",
        });
  if (existing && existing.url === url && existing.secret === secret && !existing.events) return;
  await Store.put(ctx, {
    id: ENV_WEBHOOK_ID,
    url,
    ...(secret ? { secret } : {}),
    createdAt: existing?.createdAt ?? iso(ctx.clock.now()),
    createdBy: "AGENTVINE_WEBHOOK_URL",
  });
};
