import { AsyncLocalStorage } from "node:async_hooks";
import * as Auth from "../auth/service.ts";
import { epochSeconds, iso } from "../clock.ts";
import type { Ctx } from "../context.ts";
import type { ConnectionItem } from "../db/index.ts";
import { log } from "../log.ts";
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
        log.warn({ err, connectionId: c.connectionId }, "push failed");
      }
    }),
  );

/**
 * A hot path's look-ahead (see `ahead`): the connections looked up when it began, and the
 * catch-up pushes to connections opened since, which the path awaits before it ends.
 */
interface LookAhead {
  connections: Promise<ConnectionItem[]>;
  catchUps: Promise<unknown>[];
}
const lookAhead = new AsyncLocalStorage<LookAhead>();

/**
 * Sends an event to its audience. A connection API Gateway reports gone (410) is deleted; a
 * failed push never fails the state change that caused it (clients resync over REST).
 */
export const publish = async (ctx: Ctx, event: RealtimeEvent, audience: Audience = { humans: true }) => {
  const data = JSON.stringify(event);
  const ahead = lookAhead.getStore();
  if (!ahead) return void (await send(ctx, data, await recipients(ctx, audience)));
  const known = (await ahead.connections.catch(() => [])).filter(addressed(audience));
  const seen = new Set(known.map((c) => c.connectionId));
  ahead.catchUps.push(
    recipients(ctx, audience)
      .then((now) =>
        send(
          ctx,
          data,
          now.filter((c) => !seen.has(c.connectionId)),
        ),
      )
      .catch((err) => log.warn({ err }, "catch-up look-up failed")),
  );
  await send(ctx, data, known);
};

/**
 * Runs a hot path (the human loop) with its connections looked up ahead: the query runs while
 * the path reads and writes, so each event it publishes goes out the moment its change is
 * written instead of one query later. A connection opened after that look-up is not forgotten:
 * each publish looks again after its change and pushes to whoever is new, and the path ends
 * only once those catch-ups are done (a client that connected and read its state in between
 * still gets the event, a little later).
 */
export const ahead = async <T>(ctx: Ctx, work: () => Promise<T>): Promise<T> => {
  const scope: LookAhead = { connections: everyone(ctx), catchUps: [] };
  // Awaited by the first publish, if any; an unused, failed look-up must not crash the process.
  scope.connections.catch(() => {});
  try {
    return await lookAhead.run(scope, work);
  } finally {
    await Promise.all(scope.catchUps);
  }
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
