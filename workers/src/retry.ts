import type { Backoff } from "./backoff.ts";
import { classifyFailure, describeFailure } from "./failure.ts";

/**
 * One dependency's outage (the API, the queues), logged once: a line when the first call fails,
 * with the error, and one when a call gets through again, with how long it lasted and how many
 * calls failed meanwhile. Every call to that dependency reports here, so concurrent retries
 * (heartbeat, claim, complete) share one outage.
 */
export const createOutage = (dependency: string, log: (msg: string) => void, now = Date.now) => {
  let since: number | null = null;
  let failures = 0;
  return {
    failed(what: string, err: unknown) {
      failures++;
      if (since !== null) return;
      since = now();
      log(`${dependency} unavailable (${what}: ${describeFailure(err)}); retrying with backoff`);
    },
    /** The dependency answered (even with a refusal): the outage, if any, is over. */
    answered() {
      if (since === null) return;
      const seconds = ((now() - since) / 1000).toFixed(1);
      log(`${dependency} back after ${seconds} s (${failures} failed attempt${failures === 1 ? "" : "s"})`);
      since = null;
      failures = 0;
    },
  };
};
export type Outage = ReturnType<typeof createOutage>;

/**
 * Runs `call` until it succeeds or fails other than transiently (that error is thrown). Once
 * `signal` is aborted (the worker is closing, the work was taken away) it stops retrying and
 * throws the last error.
 */
export const retry = async <T>(
  what: string,
  call: () => Promise<T>,
  { outage, backoff, signal }: { outage: Outage; backoff: Backoff; signal: AbortSignal },
): Promise<T> => {
  for (let attempt = 0; ; attempt++) {
    try {
      const result = await call();
      outage.answered();
      return result;
    } catch (err) {
      if (classifyFailure(err) !== "transient") {
        outage.answered();
        throw err;
      }
      outage.failed(what, err);
      if (!signal.aborted) await backoff.wait(attempt, signal);
      if (signal.aborted) throw err;
    }
  }
};
