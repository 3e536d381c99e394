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

/** Every live connection: one query, whoever the audience (people and workers alike). */
const everyone = async (ctx: Ctx) =>
  (await ctx.db.connection.query.all({}).go({ pages: "all" })).data.filter(live(ctx));

/** The workers' own connections, by principal, in parallel. */
const workersOnly = async (ctx: Ctx, workerIds: readonly string[]) =>
  (
    await Promise.all(
      workerIds.map((principalId) =>
        ctx.db.connection.query.byPrincipal({ principalId }).go({ pages: "all" }),
      ),
    )
  )
    .flatMap((r) => r.data)
    .filter((c) => c.role === "worker")
    .filter(live(ctx));

/** Whether a connection is in the audience: a person's, or that of one of the workers named. */
const addressed = (audience: Audience) => (c: ConnectionItem) =>
  c.role === "worker" ? (audience.workerIds ?? []).includes(c.principalId) : audience.humans;

const recipients = async (ctx: Ctx, audience: Audience): Promise<ConnectionItem[]> =>
  audience.humans
    ? (await everyone(ctx)).filter(addressed(audience))
    : workersOnly(ctx, audience.workerIds ?? []);

/** Pushes to each connection at once; one API Gateway says is gone (410) is deleted. */
const send = (ctx: Ctx, data: string, targets: readonly ConnectionItem[]) =>
  Promise.all(
    targets.map(async (c) => {
      try {
        if ((await ctx.push.post(c.connectionId, data)) === "gone") await disconnect(ctx, c.connectionId);
      } catch (err) {
        console.warn(`push to ${c.connectionId} failed: ${(err as Error).message}`);
      }
    }),
  );

/**
 * Sends an event to its audience. A connection API Gateway reports gone (410) is deleted; a
 * failed push never fails the state change that caused it (clients resync over REST).
 */
export const publish = async (ctx: Ctx, event: RealtimeEvent, audience: Audience = { humans: true }) => {
  await send(ctx, JSON.stringify(event), await recipients(ctx, audience));
};

/**
 * For a hot path (the human loop): looks the connections up now, while the state change is
 * still being written, so that its events go out the moment the change succeeds instead of
 * one query later. A connection opened after that early look-up is not forgotten: each publish
 * looks again once the change is written and pushes to whoever it finds new, so a client that
 * connected and read its state in between still gets the event (only a little later).
 */
export const prepare = (ctx: Ctx) => {
  const early = everyone(ctx);
  // Awaited by the first publish; an unused, failed look-up must not crash the process.
  early.catch(() => {});
  return async (event: RealtimeEvent, audience: Audience = { humans: true }) => {
    const data = JSON.stringify(event);
    const first = await early.then(
      (all) => all.filter(addressed(audience)),
      () => [],
    );
    const seen = new Set(first.map((c) => c.connectionId));
    await Promise.all([
      send(ctx, data, first),
      recipients(ctx, audience).then((now) =>
        send(
          ctx,
          data,
          now.filter((c) => !seen.has(c.connectionId)),
        ),
      ),
    ]);
  };
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
