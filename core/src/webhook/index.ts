/**
 * Webhooks: admins register receivers; events (a person must act, a task ended or looks
 * suspicious) are queued and POSTed, signed, with retries. Callers read `Webhook.notify(...)`.
 */

export { handle } from "./deliver.ts";
export * as Webhook from "./index.ts";
export { inputNeeded, notify, taskEnded } from "./notify.ts";
export { create, deliveries, ENV_WEBHOOK_ID, ensureFromEnv, list, remove } from "./service.ts";
