import { createHmac } from "node:crypto";

/** X-AgentVine-Signature: `sha256=` and the hex HMAC-SHA256 of the exact body sent, keyed by the secret. */
export const signature = (body: string, secret: string) =>
  `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
