import { createHash, randomBytes } from "node:crypto";
import { v5, v7 } from "uuid";

/** Time-ordered ids: items created later sort later in every key that ends in an id. */
export const newId = () => v7();

const SESSION_NAMESPACE = "6f1c2b7e-4d0a-4f4e-9b7a-2a8e5d3c1f00";
/**
 * A session's id is derived from the agent's own sessionId, so the primary key itself makes
 * sessionId unique: a second create with the same sessionId loses a conditional put.
 */
export const sessionIdFor = (agentSessionId: string) => v5(agentSessionId, SESSION_NAMESPACE);

/** A secret handed out once (API token, WebSocket ticket); only its hash is stored. */
export const newSecret = (prefix: string) => `${prefix}_${randomBytes(24).toString("base64url")}`;
export const hashSecret = (secret: string) => createHash("sha256").update(secret).digest("hex");
