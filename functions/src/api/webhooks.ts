import { PageQuery, pageOf } from "@agentvine/core/page";
import { Webhook } from "@agentvine/core/webhook/index";
import { CreateWebhookInput, WebhookDeliveryInfo, WebhookInfo } from "@agentvine/core/webhook/schema";
import { IdParam, json, jsonBody, router, routesOf } from "./router.ts";

const route = routesOf("Webhooks");
const ADMIN = ["admin"] as const;

const create = route({
  method: "post",
  path: "/webhooks",
  summary: "Register a webhook: signed POSTs of input.needed, task.completed, task.failed, task.suspicious",
  roles: ADMIN,
  request: jsonBody(CreateWebhookInput),
  responses: { 201: json(WebhookInfo, "The webhook (its secret is never shown)") },
});

const list = route({
  method: "get",
  path: "/webhooks",
  summary: "List webhooks, newest first",
  roles: ADMIN,
  request: { query: PageQuery },
  responses: { 200: json(pageOf(WebhookInfo), "A page of webhooks") },
});

const remove = route({
  method: "delete",
  path: "/webhooks/{id}",
  summary: "Remove a webhook (the one AGENTVINE_WEBHOOK_URL makes comes back at the next start)",
  roles: ADMIN,
  request: { params: IdParam },
  responses: { 204: { description: "Removed" } },
});

const deliveries = route({
  method: "get",
  path: "/webhooks/{id}/deliveries",
  summary: "Each attempt at delivering to a webhook and its outcome, newest first",
  roles: ADMIN,
  request: { params: IdParam, query: PageQuery },
  responses: { 200: json(pageOf(WebhookDeliveryInfo), "A page of delivery attempts") },
});

export const webhooks = router()
  .openapi(create, async (c) =>
    c.json(await Webhook.create(c.var.ctx, c.var.actor, c.req.valid("json")), 201),
  )
  .openapi(list, async (c) => c.json(await Webhook.list(c.var.ctx, c.req.valid("query")), 200))
  .openapi(remove, async (c) => {
    await Webhook.remove(c.var.ctx, c.req.valid("param").id);
    return c.body(null, 204);
  })
  .openapi(deliveries, async (c) =>
    c.json(await Webhook.deliveries(c.var.ctx, c.req.valid("param").id, c.req.valid("query")), 200),
  );
