import { ROLES } from "./enums.ts";
import { fields } from "./fields.ts";
import { entity, gsi, keyedBy } from "./table.ts";

export const connectionAttributes = fields({
  connectionId: { type: "string", required: true },
  role: { type: ROLES, required: true },
  /** The token's principal: a worker id for workers, the token id for people. */
  principalId: { type: "string", required: true },
  connectedAt: { type: "string", required: true },
  /** Epoch seconds (TTL). Readers skip expired items: TTL deletion lags. */
  expiresAt: { type: "number", required: true },
});

export const connectionEntity = entity("connection", connectionAttributes, {
  primary: keyedBy("connectionId"),
  all: gsi(1, [], ["connectionId"]),
  byPrincipal: gsi(2, ["principalId"], ["connectionId"]),
});
