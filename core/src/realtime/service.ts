import { AsyncLocalStorage } from "node:async_hooks";
import * as Auth from "../auth/service.ts";
import { epochSeconds, iso } from "../clock.ts";
import type { Ctx } from "../context.ts";
import type { ConnectionItem } from "../db/index.ts";
import { log } from "../log.ts";
import * as Directory from "./directory.ts";
import type { Audience, RealtimeEvent } from "./events.ts";

/** $connect: the ticket (one use) decides who the connection belongs to; null refuses it. */
export const connect = async (ctx: Ctx, connectionId: string, ticket: string | undefined) => {
  const actor = ticket ? await Auth.consumeTicket(ctx, ticket) : null;
  if (!actor || actor.role === "enrolment") return null;
  const now = ctx.clock.now();
  const { data } = await ctx.db.connection
    .put({
      connectionId,
      role: actor.role,
      principalId: actor.principalId,
      connectedAt: iso(now),
      expiresAt: epochSeconds(now + ctx.config.connectionTtlMs),
    })
    .go();
  Directory.add(ctx, data);
  return actor;
};

export const disconnect = async (ctx: Ctx, connectionId: string) => {
  Directory.drop(ctx, connectionId);
  await ctx.db.connection.delete({ connectionId }).go();
};

/** This process's gateway makes every connection (the local runtime): see Directory.own. */
export const ownConnections = (ctx: Ctx) => Directory.own(ctx);

const live = (ctx: Ctx) => (c: ConnectionItem) => c.expiresAt > epochSeconds(ctx.clock.now());

/** Whether a connection is in the audience: a person's, or that of one of the workers named. */
const addressed = (ctx: Ctx, audience: Audience) => (c: ConnectionItem) =>
  live(ctx)(c) &&
  (c.role === "worker" ? (audience.workerIds ?? []).includes(c.principalId) : audience.humans);

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

/** A hot path's catch-up pushes (see `ahead`), awaited before the path ends. */
const catchUps = new AsyncLocalStorage<Promise<unknown>[]>();

/**
 * Sends an event to its audience. The connections last looked up get it at once (no query
 * before the push); then a look-up that starts after this call finds any connection opened
 * since, and it gets the event too (once): a client that connected and then read its state
 * never misses the change. Publish returns once both are done, except inside `ahead`, whose
 * end awaits the catch-ups instead. A connection API Gateway reports gone (410) is deleted; a
 * failed push never fails the state change that caused it (clients resync over REST).
 */
export const publish = async (ctx: Ctx, event: RealtimeEvent, audience: Audience = { humans: true }) => {
  const data = JSON.stringify(event);
  const to = addressed(ctx, audience);
  const first = (await Directory.seen(ctx).catch(() => [])).filter(to);
  const sent = new Set(first.map((c) => c.connectionId));
  const catchUp = Directory.lookUp(ctx)
    .then((now) =>
      send(
        ctx,
        data,
        now.filter((c) => to(c) && !sent.has(c.connectionId)),
      ),
    )
    .catch((err) => log.warn({ err }, "catch-up look-up failed"));
  const path = catchUps.getStore();
  path?.push(catchUp);
  await send(ctx, data, first);
  if (!path) await catchUp;
};

/**
 * Runs a hot path (the human loop) so its events are not held by their catch-up look-ups: each
 * goes out the moment its change is written, and the path ends once the catch-ups are done.
 * With nothing looked up yet in this process, a look-up starts now, alongside the path.
 */
export const ahead = async <T>(ctx: Ctx, work: () => Promise<T>): Promise<T> => {
  // Awaited by the first publish, if any; an unused, failed look-up must not crash the process.
  Directory.seen(ctx).catch(() => {});
  const scope: Promise<unknown>[] = [];
  try {
    return await catchUps.run(scope, work);
  } finally {
    await Promise.all(scope);
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
