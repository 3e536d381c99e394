import { setTimeout as delay } from "node:timers/promises";

export interface BackoffOptions {
  /** The ceiling of the first retry's delay; it doubles with each attempt... */
  baseMs: number;
  /** ...up to this. */
  capMs: number;
  /** Injectable for tests: [0, 1). */
  random?: () => number;
  /** Injectable for tests: resolves after `ms`, or at once when `signal` aborts. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

const abortableSleep = (ms: number, signal: AbortSignal) => delay(ms, undefined, { signal }).catch(() => {});

/**
 * Capped exponential backoff with full jitter: attempt n waits a uniformly random time in
 * [0, min(cap, base * 2^n)). The randomness spreads a fleet that failed at the same moment (every
 * worker during an API redeploy) instead of bringing it back in step.
 */
export const createBackoff = ({
  baseMs,
  capMs,
  random = Math.random,
  sleep = abortableSleep,
}: BackoffOptions) => {
  const delayMs = (attempt: number) => random() * Math.min(capMs, baseMs * 2 ** attempt);
  return {
    delayMs,
    wait: (attempt: number, signal: AbortSignal) => sleep(delayMs(attempt), signal),
  };
};
export type Backoff = ReturnType<typeof createBackoff>;
