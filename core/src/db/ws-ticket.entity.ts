import { Entity, type EntityConfiguration } from "electrodb";
import { ROLES } from "./enums.ts";
import { fields } from "./fields.ts";
import { keyedBy, model } from "./keys.ts";

export const wsTicketAttributes = fields({
  ticketHash: { type: "string", required: true },
  role: { type: ROLES, required: true },
  principalId: { type: "string", required: true },
  expiresAt: { type: "number", required: true },
});

/** A one-use, short-lived WebSocket ticket; consumed by a conditional delete. */
export const wsTicketEntity = (config: EntityConfiguration) =>
  new Entity(
    {
      model: model("wsTicket"),
      attributes: wsTicketAttributes,
      indexes: {
        primary: keyedBy("ticketHash"),
      },
    },
    config,
  );
