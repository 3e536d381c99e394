import type { Ctx } from "./context.ts";
import { log } from "./log.ts";

/**
 * Work that need not hold the answer (events for the dashboards, the activity line). With a
 * deferral port (`ctx.after`: the local runtime runs it in the background, a Lambda handler
 * awaits it once the response is built, before the runtime may freeze) the caller goes on at
 * once; without one (tests, scripts) it is awaited here, so its effects are visible when the
 * call returns. A failure is logged: it never undoes the state change that caused it.
 */
export const later = async (ctx: Ctx, work: () => Promise<unknown>): Promise<void> => {
  const run = work().then(
    () => undefined,
    (err: unknown) => log.warn({ err }, "deferred work failed"),
  );
  if (ctx.after) ctx.after(run);
  else await run;
};

/**
 * A deferral port: `after` takes work, `drain` resolves once all of it (and whatever it
 * deferred in turn) is done. The local runtime drains on stop; a Lambda handler drains after
 * building each response, before returning it.
 */
export const deferrals = () => {
  const pending = new Set<Promise<void>>();
  return {
    after: (work: Promise<void>) => {
      pending.add(work);
      void work.finally(() => pending.delete(work));
    },
    drain: async () => {
      while (pending.size) await Promise.all([...pending]);
    },
  };
};
