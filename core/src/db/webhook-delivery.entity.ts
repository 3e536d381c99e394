import { entity, gsi, keyedBy } from "./table.ts";
import { webhookDeliveryAttributes } from "./webhook-delivery.fields.ts";

/** One attempt to POST an event to a webhook; expires with the activity timeline. */
export const webhookDeliveryEntity = entity("webhookDelivery", webhookDeliveryAttributes, {
  primary: keyedBy("id"),
  byWebhook: gsi(1, ["webhookId"], ["at", "id"]),
});
