import { ROLES } from "./enums.ts";
import { fields } from "./fields.ts";
import { entity, keyedBy } from "./table.ts";

export const wsTicketAttributes = fields({
  ticketHash: { type: "string", required: true },
  role: { type: ROLES, required: true },
  principalId: { type: "string", required: true },
  expiresAt: { type: "number", required: true },
});

/** A one-use, short-lived WebSocket ticket; consumed by a conditional delete. */
export const wsTicketEntity = entity("wsTicket", wsTicketAttributes, {
  primary: keyedBy("ticketHash"),
});
