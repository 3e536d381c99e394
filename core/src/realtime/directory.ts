import type { Ctx } from "../context.ts";
import type { ConnectionItem } from "../db/index.ts";

/**
 * The connections as this process last looked them up, per table: publishing pushes to them at
 * once instead of querying first. A look-up answers only for connections made before it
 * started, so `lookUp` never joins one already under way: it starts the next (shared by every
 * caller that came in meanwhile, so a burst of events costs one query, not one each).
 */
interface Directory {
  known: ConnectionItem[] | null;
  running: Promise<ConnectionItem[]> | null;
  queued: Promise<ConnectionItem[]> | null;
}

const directories = new WeakMap<object, Directory>();

const directory = (ctx: Ctx): Directory => {
  let dir = directories.get(ctx.db);
  if (!dir) {
    dir = { known: null, running: null, queued: null };
    directories.set(ctx.db, dir);
  }
  return dir;
};

const query = async (ctx: Ctx, dir: Directory) => {
  const found = (await ctx.db.connection.query.all({}).go({ pages: "all" })).data;
  dir.known = found;
  return found;
};

/** Every connection made before this call, looked up after it (one query shared by concurrent callers). */
export const lookUp = (ctx: Ctx): Promise<ConnectionItem[]> => {
  const dir = directory(ctx);
  if (!dir.running) {
    const running = query(ctx, dir).finally(() => {
      if (dir.running === running) dir.running = null;
    });
    dir.running = running;
    return running;
  }
  if (!dir.queued) {
    const queued = dir.running
      .catch(() => undefined)
      .then(() => {
        dir.queued = null;
        return lookUp(ctx);
      });
    dir.queued = queued;
  }
  return dir.queued;
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
