import { setTimeout as sleep } from "node:timers/promises";
import type { Ctx } from "../context.ts";
import type { ConnectionItem } from "../db/index.ts";

/**
 * The connections as this process last looked them up, per table: publishing pushes to them at
 * once instead of querying first. A look-up answers only for connections made before it
 * started, so `lookUp` never joins one already under way: callers share the next one to start.
 * Look-ups start at least SPACING_MS apart, so a burst of events (a claim or a completion
 * publishes three to five) costs one query instead of one each; the price is that a connection
 * opened in another process meanwhile gets those events up to SPACING_MS later.
 */
const SPACING_MS = 25;

interface Directory {
  known: ConnectionItem[] | null;
  /** Every connection is made and closed here (see `own`): `known` is exact, never looked up. */
  owned: boolean;
  running: Promise<ConnectionItem[]> | null;
  next: Promise<ConnectionItem[]> | null;
  lastStart: number;
}

const directories = new WeakMap<object, Directory>();

const directory = (ctx: Ctx): Directory => {
  let dir = directories.get(ctx.db);
  if (!dir) {
    dir = { known: null, owned: false, running: null, next: null, lastStart: Number.NEGATIVE_INFINITY };
    directories.set(ctx.db, dir);
  }
  return dir;
};

/** The next look-up: after the one under way and the spacing; from its start, callers wait for another. */
const start = async (ctx: Ctx, dir: Directory) => {
  await dir.running?.catch(() => {});
  const wait = dir.lastStart + SPACING_MS - performance.now();
  if (wait > 0) await sleep(wait);
  dir.next = null;
  dir.lastStart = performance.now();
  const running = ctx.db.connection.query
    .all({})
    .go({ pages: "all" })
    .then(({ data }) => {
      dir.known = data;
      return data;
    });
  dir.running = running;
  try {
    return await running;
  } finally {
    if (dir.running === running) dir.running = null;
  }
};

/** Every connection made before this call, looked up after it (one query shared by callers meanwhile). */
export const lookUp = (ctx: Ctx): Promise<ConnectionItem[]> => {
  const dir = directory(ctx);
  if (dir.owned) return Promise.resolve(dir.known ?? []);
  dir.next ??= start(ctx, dir);
  return dir.next;
};

/**
 * The connections last seen, possibly stale: at once when known, else the look-up under way (or
 * a new one). Whoever uses it catches up with `lookUp` after its change.
 */
export const seen = (ctx: Ctx): Promise<readonly ConnectionItem[]> => {
  const dir = directory(ctx);
  return dir.known ? Promise.resolve(dir.known) : (dir.running ?? lookUp(ctx));
};

/** A connection made or gone in this process is known at once. */
export const add = (ctx: Ctx, c: ConnectionItem) => {
  const dir = directory(ctx);
  if (dir.known) dir.known = [...dir.known.filter((k) => k.connectionId !== c.connectionId), c];
};
export const drop = (ctx: Ctx, connectionId: string) => {
  const dir = directory(ctx);
  if (dir.known) dir.known = dir.known.filter((k) => k.connectionId !== connectionId);
};

/**
 * This process makes and closes every connection of the table (the local runtime, whose
 * WebSocket gateway is in-process): the directory starts empty, since an earlier run's
 * connections ended with its gateway, and `add`/`drop` keep it exact, so events never wait for
 * or cost a look-up. On AWS the `$connect` function makes them, and the API looks them up.
 */
export const own = (ctx: Ctx) => {
  const dir = directory(ctx);
  dir.owned = true;
  dir.known = [];
};
