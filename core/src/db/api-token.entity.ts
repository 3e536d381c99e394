import { ROLES } from "./enums.ts";
import { fields } from "./fields.ts";
import { entity, gsi, keyedBy } from "./table.ts";

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
export const apiTokenEntity = entity("apiToken", apiTokenAttributes, {
  primary: keyedBy("tokenHash"),
  byPrincipal: gsi(1, ["principalId"], ["id"]),
});
