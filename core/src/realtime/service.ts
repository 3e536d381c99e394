import * as Auth from "../auth/service.ts";
import { epochSeconds, iso } from "../clock.ts";
import type { Ctx } from "../context.ts";
import type { ConnectionItem } from "../db/index.ts";
import type { Audience, RealtimeEvent } from "./events.ts";

/** $connect: the ticket (one use) decides who the connection belongs to; null refuses it. */
export const connect = async (ctx: Ctx, connectionId: string, ticket: string | undefined) => {
  const actor = ticket ? await Auth.consumeTicket(ctx, ticket) : null;
  if (!actor || actor.role === "enrolment") return null;
  const now = ctx.clock.now();
  await ctx.db.connection
    .put({
      connectionId,
      role: actor.role,
      principalId: actor.principalId,
      connectedAt: iso(now),
      expiresAt: epochSeconds(now + ctx.config.connectionTtlMs),
    })
    .go();
  return actor;
};

export const disconnect = async (ctx: Ctx, connectionId: string) => {
  await ctx.db.connection.delete({ connectionId }).go();
};

const live = (ctx: Ctx) => (c: ConnectionItem) => c.expiresAt > epochSeconds(ctx.clock.now());

const recipients = async (ctx: Ctx, audience: Audience): Promise<ConnectionItem[]> => {
  const found: ConnectionItem[] = [];
  if (audience.humans) {
    const all = await ctx.db.connection.query.all({}).go({ pages: "all" });
    found.push(...all.data.filter((c) => c.role !== "worker"));
  }
  for (const workerId of audience.workerIds ?? []) {
    const mine = await ctx.db.connection.query.byPrincipal({ principalId: workerId }).go({ pages: "all" });
    found.push(...mine.data.filter((c) => c.role === "worker"));
  }
  return found.filter(live(ctx));
};

/**
 * Sends an event to its audience. A connection API Gateway reports gone (410) is deleted; a
 * failed push never fails the state change that caused it (clients resync over REST).
 */
export const publish = async (ctx: Ctx, event: RealtimeEvent, audience: Audience = { humans: true }) => {
  const data = JSON.stringify(event);
  const targets = await recipients(ctx, audience);
  await Promise.all(
    targets.map(async (c) => {
      try {
        if ((await ctx.push.post(c.connectionId, data)) === "gone") await disconnect(ctx, c.connectionId);
      } catch (err) {
        console.warn(`push to ${c.connectionId} failed: ${(err as Error).message}`);
      }
    }),
  );
};

/** $default: clients may ping to keep the connection alive (API Gateway's 10 min idle limit). */
export const onMessage = (body: string | undefined): RealtimeEvent | null => {
  try {
    const parsed = JSON.parse(body ?? "") as { type?: unknown };
    return parsed.type === "ping" ? { type: "pong", data: {} } : null;
  } catch {
    return null;
  }
};
