import type { Ctx } from "../context.ts";
import type { WebhookDeliveryItem, WebhookItem } from "../db/index.ts";

/** The webhooks' access patterns, one function each. */

export const get = async (ctx: Ctx, id: string): Promise<WebhookItem | null> =>
  (await ctx.db.webhook.get({ id }).go()).data;

export const put = async (ctx: Ctx, item: WebhookItem) => {
  await ctx.db.webhook.put(item).go();
};

export const remove = async (ctx: Ctx, id: string) => {
  await ctx.db.webhook.delete({ id }).go();
};

export const page = (ctx: Ctx, limit: number, cursor: string | null) =>
  ctx.db.webhook.query.all({}).go({ order: "desc", limit, cursor });

/** Every webhook: a delivery fans out to all of them (there are a handful). */
export const all = async (ctx: Ctx): Promise<WebhookItem[]> =>
  (await ctx.db.webhook.query.all({}).go({ pages: "all" })).data;

export const recordDelivery = async (ctx: Ctx, item: WebhookDeliveryItem) => {
  await ctx.db.webhookDelivery.create(item).go();
};

export const deliveries = (ctx: Ctx, webhookId: string, limit: number, cursor: string | null) =>
  ctx.db.webhookDelivery.query.byWebhook({ webhookId }).go({ order: "desc", limit, cursor });
