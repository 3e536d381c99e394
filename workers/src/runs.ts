import type { TaskProtection } from "./protection.ts";
import { Stop } from "./stop.ts";

/**
 * The runs a worker has in flight: the one working, and those whose ending (completion or
 * failure) is still being reported while the worker takes its next work. ECS scale-in
 * protection is on while any of them is; its switches go out in order.
 */
export const createRuns = (protection: TaskProtection) => {
  const runs = new Map<AbortController, Promise<void>>();
  /** The run not yet free, and its work order's id. */
  let working: { id: string; abort: AbortController } | null = null;
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
    start(workOrderId: string, work: (abort: AbortController, free: () => void) => Promise<void>) {
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
      working = { id: workOrderId, abort };
      const free = Promise.race([freed, done]).finally(() => {
        if (working?.abort === abort) working = null;
      });
      return { done, free };
    },
    /**
     * The lease of `workOrderId` was lost: its run stops if it is the working one. A lease lost by
     * a run reporting its end is that run's business (its report finds the work moved on).
     */
    leaseLost: (workOrderId: string | null) => {
      if (working && working.id === workOrderId)
        working.abort.abort(new Stop("lease-lost", "The work order was taken over"));
    },
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
