import { Entity, type EntityConfiguration } from "electrodb";
import { ROLES } from "./enums.ts";
import { fields } from "./fields.ts";

export const apiTokenAttributes = fields({
  tokenHash: { type: "string", required: true },
  id: { type: "string", required: true },
  name: { type: "string", required: true },
  role: { type: ROLES, required: true },
  principalId: { type: "string", required: true },
  createdAt: { type: "string", required: true },
  lastUsedAt: { type: "string" },
  revokedAt: { type: "string" },
});

/** A long-lived API credential. Keyed by the SHA-256 of the secret; the secret is never stored. */
export const apiTokenEntity = (config: EntityConfiguration) =>
  new Entity(
    {
      model: { entity: "apiToken", version: "1", service: "agentvine" },
      attributes: apiTokenAttributes,
      indexes: {
        primary: { pk: { field: "pk", composite: ["tokenHash"] }, sk: { field: "sk", composite: [] } },
        byPrincipal: {
          index: "gsi1",
          pk: { field: "gsi1pk", composite: ["principalId"] },
          sk: { field: "gsi1sk", composite: ["id"] },
        },
      },
    },
    config,
  );
