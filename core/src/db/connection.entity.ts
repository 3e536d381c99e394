import { Entity, type EntityConfiguration } from "electrodb";
import { ROLES } from "./enums.ts";
import { fields } from "./fields.ts";

export const connectionAttributes = fields({
  connectionId: { type: "string", required: true },
  role: { type: ROLES, required: true },
  /** The token's principal: a worker id for workers, the token id for people. */
  principalId: { type: "string", required: true },
  connectedAt: { type: "string", required: true },
  /** Epoch seconds (TTL). Readers skip expired items: TTL deletion lags. */
  expiresAt: { type: "number", required: true },
});

export const connectionEntity = (config: EntityConfiguration) =>
  new Entity(
    {
      model: { entity: "connection", version: "1", service: "agentvine" },
      attributes: connectionAttributes,
      indexes: {
        primary: { pk: { field: "pk", composite: ["connectionId"] }, sk: { field: "sk", composite: [] } },
        all: {
          index: "gsi1",
          pk: { field: "gsi1pk", composite: [] },
          sk: { field: "gsi1sk", composite: ["connectionId"] },
        },
        byPrincipal: {
          index: "gsi2",
          pk: { field: "gsi2pk", composite: ["principalId"] },
          sk: { field: "gsi2sk", composite: ["connectionId"] },
        },
      },
    },
    config,
  );
