import type { TaskProtection } from "./protection.ts";

/**
 * The runs a worker has in flight: the one working, and those whose ending (completion or
 * failure) is still being reported while the worker takes its next work. ECS scale-in
 * protection is on while any of them is; its switches go out in order.
 */
export const createRuns = (protection: TaskProtection) => {
  const runs = new Map<AbortController, Promise<void>>();
  /** The run not yet free: the one the worker's claim (and the heartbeat's lease) is for. */
  let working: AbortController | null = null;
  let switching = Promise.resolve();
  const protect = (on: boolean) => {
    switching = switching.then(() => protection.set(on));
    return switching;
  };

  return {
    /**
     * Starts a run under protection: `work` gets the run's abort controller and a `free` to call
     * once all that is left is reporting its ending. `free` resolves then (or when the run is
     * done), and rejects when the run failed before; `done` is the whole run.
     */
    start(work: (abort: AbortController, free: () => void) => Promise<void>) {
      const abort = new AbortController();
      let release = () => {};
      const freed = new Promise<void>((resolve) => {
        release = resolve;
      });
      const done = (async () => {
        await (runs.size === 0 ? protect(true) : switching);
        try {
          await work(abort, release);
        } finally {
          runs.delete(abort);
          if (runs.size === 0) await protect(false);
        }
      })();
      runs.set(abort, done);
      working = abort;
      const free = Promise.race([freed, done]).finally(() => {
        if (working === abort) working = null;
      });
      return { done, free };
    },
    /** Stops the working run (its lease was lost), not the ones reporting how they ended. */
    stopWorking: (reason: unknown) => working?.abort(reason),
    /** Waits for every run until `graceMs` has passed, then stops the rest with `reason`. */
    async stop(graceMs: number, reason: unknown) {
      if (runs.size === 0) return;
      const all = () => Promise.allSettled([...runs.values()]);
      const graceOver = new Promise((r) => setTimeout(r, graceMs).unref());
      await Promise.race([all(), graceOver]);
      for (const abort of runs.keys()) abort.abort(reason);
      await all();
    },
  };
};
