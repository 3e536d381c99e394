import { byCreation, entity, gsi, keyedBy } from "./table.ts";
import { webhookAttributes } from "./webhook.fields.ts";

/** A receiver of signed event POSTs. Few per install: one partition lists them all. */
export const webhookEntity = entity("webhook", webhookAttributes, {
  primary: keyedBy("id"),
  all: gsi(1, [], byCreation),
});
