import { epochSeconds, iso } from "../clock.ts";
import type { Actor, Ctx } from "../context.ts";
import type { Role } from "../db/enums.ts";
import { isConditionalFailure } from "../db/index.ts";
import { hashSecret, newId, newSecret } from "../ids.ts";
import * as TokenCache from "./token-cache.ts";

/** Writing lastUsedAt on every request would double the writes; once a minute is enough to see use. */
const LAST_USED_RESOLUTION_MS = 60_000;

export interface IssuedToken {
  id: string;
  token: string;
}

/** Creates an API token; the secret is returned once and only its hash is stored. */
export const issueToken = async (
  ctx: Ctx,
  input: { name: string; role: Role; principalId?: string; secret?: string },
): Promise<IssuedToken> => {
  const id = newId();
  const token = input.secret ?? newSecret(input.role === "worker" ? "avw" : "avt");
  await ctx.db.apiToken
    .create({
      tokenHash: hashSecret(token),
      id,
      name: input.name,
      role: input.role,
      principalId: input.principalId ?? id,
      createdAt: iso(ctx.clock.now()),
    })
    .go();
  return { id, token };
};

/** Makes sure a known secret (the bootstrap admin token) is a valid admin token; idempotent. */
export const ensureToken = async (ctx: Ctx, input: { name: string; role: Role; secret: string }) => {
  try {
    await issueToken(ctx, input);
  } catch (err) {
    if (!isConditionalFailure(err)) throw err;
  }
};

const read = async (ctx: Ctx, tokenHash: string): Promise<Actor | null> => {
  const item = (await ctx.db.apiToken.get({ tokenHash }).go()).data;
  if (!item || item.revokedAt) return null;
  const now = ctx.clock.now();
  if (!item.lastUsedAt || Date.parse(item.lastUsedAt) < now - LAST_USED_RESOLUTION_MS) {
    await ctx.db.apiToken
      .patch({ tokenHash })
      .set({ lastUsedAt: iso(now) })
      .go();
  }
  return { role: item.role, principalId: item.principalId, name: item.name };
};

/**
 * The actor a secret acts as, or null. Read at most once per `authCacheMs` per token in this
 * process (token-cache.ts); lastUsedAt is recorded on those reads.
 */
export const authenticate = (ctx: Ctx, secret: string): Promise<Actor | null> => {
  const tokenHash = hashSecret(secret);
  return TokenCache.through(ctx, tokenHash, () => read(ctx, tokenHash));
};

/** Revokes every token of a principal (a deregistered worker's credential stops working). */
export const revokeAll = async (ctx: Ctx, principalId: string) => {
  const tokens = await ctx.db.apiToken.query.byPrincipal({ principalId }).go({ pages: "all" });
  const now = iso(ctx.clock.now());
  await Promise.all(
    tokens.data.map((t) => ctx.db.apiToken.patch({ tokenHash: t.tokenHash }).set({ revokedAt: now }).go()),
  );
  TokenCache.forget(ctx, principalId);
};

/** A short-lived, one-use ticket to open the WebSocket (browsers cannot send headers on it). */
export const issueTicket = async (ctx: Ctx, actor: Actor & { role: Role }): Promise<string> => {
  const ticket = newSecret("avs");
  await ctx.db.wsTicket
    .create({
      ticketHash: hashSecret(ticket),
      role: actor.role,
      principalId: actor.principalId,
      expiresAt: epochSeconds(ctx.clock.now() + ctx.config.wsTicketTtlMs),
    })
    .go();
  return ticket;
};

/** Consumes a ticket: deleted in the same call that reads it, so a second use finds nothing. */
export const consumeTicket = async (ctx: Ctx, ticket: string): Promise<Actor | null> => {
  try {
    const removed = await ctx.db.wsTicket
      .delete({ ticketHash: hashSecret(ticket) })
      .where((attr, op) => op.exists(attr.ticketHash))
      .go({ response: "all_old" });
    const item = removed.data;
    // expiresAt is whole seconds, rounded down: compared in ms, a ticket never outlives its TTL.
    if (!item || item.expiresAt * 1000 <= ctx.clock.now()) return null;
    return { role: item.role, principalId: item.principalId, name: "ws" };
  } catch (err) {
    if (isConditionalFailure(err)) return null;
    throw err;
  }
};
