import { Entity, type EntityConfiguration } from "electrodb";
import { ROLES } from "./enums.ts";

/** A one-use, short-lived WebSocket ticket; consumed by a conditional delete. */
export const wsTicketEntity = (config: EntityConfiguration) =>
  new Entity(
    {
      model: { entity: "wsTicket", version: "1", service: "agentvine" },
      attributes: {
        ticketHash: { type: "string", required: true },
        role: { type: ROLES, required: true },
        principalId: { type: "string", required: true },
        expiresAt: { type: "number", required: true },
      },
      indexes: {
        primary: { pk: { field: "pk", composite: ["ticketHash"] }, sk: { field: "sk", composite: [] } },
      },
    },
    config,
  );
