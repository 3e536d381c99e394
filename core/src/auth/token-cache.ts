import type { Actor, Ctx } from "../context.ts";

/**
 * Who a token acts as, kept in this process for `authCacheMs` after a read, so a request on a
 * token in use needs no DynamoDB round trip to know its actor (one per request otherwise, on
 * every hot path). Kept per table, as the realtime directory is. Revoking in this process drops
 * the principal's entries at once; a token revoked by another process keeps working here until
 * its entry runs out, at most `authCacheMs` later. Unknown and revoked tokens are never kept.
 */

interface Entry {
  actor: Actor;
  until: number;
}

interface Cache {
  entries: Map<string, Entry>;
  /** Bumped by every revocation: a read that began before one may not store what it saw. */
  generation: number;
}

/** Bounds the memory many distinct tokens could take; past it the oldest entry goes. */
const MAX_ENTRIES = 10_000;

const caches = new WeakMap<object, Cache>();

const cacheOf = (ctx: Ctx): Cache => {
  let cache = caches.get(ctx.db);
  if (!cache) {
    cache = { entries: new Map(), generation: 0 };
    caches.set(ctx.db, cache);
  }
  return cache;
};

/** The actor of a token hash: from this process's cache while fresh, else from `read`, then kept. */
export const through = async (
  ctx: Ctx,
  tokenHash: string,
  read: () => Promise<Actor | null>,
): Promise<Actor | null> => {
  const cache = cacheOf(ctx);
  const now = ctx.clock.now();
  const hit = cache.entries.get(tokenHash);
  if (hit && hit.until > now) return hit.actor;
  if (hit) cache.entries.delete(tokenHash);
  const generation = cache.generation;
  const actor = await read();
  if (actor && ctx.config.authCacheMs > 0 && cache.generation === generation) {
    const oldest = cache.entries.keys().next();
    if (cache.entries.size >= MAX_ENTRIES && !oldest.done) cache.entries.delete(oldest.value);
    cache.entries.set(tokenHash, { actor, until: now + ctx.config.authCacheMs });
  }
  return actor;
};

/** The principal's tokens were revoked in this process: none of them is taken from the cache again. */
export const forget = (ctx: Ctx, principalId: string) => {
  const cache = cacheOf(ctx);
  cache.generation++;
  for (const [hash, entry] of cache.entries) {
    if (entry.actor.principalId === principalId) cache.entries.delete(hash);
  }
};
