import type { ExecutionReport } from "@agentvine/core/execution/schema";
import { ExecutionFailed, RunStopped } from "./executor.ts";

/** Why a running execution was stopped; decides what happens to its work order. */
export class Stop extends Error {
  constructor(
    readonly why: "shutdown" | "lease-lost" | "session-terminated",
    detail: string,
  ) {
    super(detail);
  }
}

/** How a run that did not complete ended: why, and what it used until then (when it says). */
export interface Ending {
  reason: unknown;
  report?: ExecutionReport | undefined;
}

/**
 * The ending of a run that threw `err`: the worker's own stop (its abort signal's reason) wins
 * over what the run threw, and what it used comes from what it threw either way.
 */
export const endingOf = (err: unknown, signal: AbortSignal): Ending => ({
  reason: signal.aborted ? signal.reason : err instanceof RunStopped ? err.reason : err,
  report: err instanceof RunStopped || err instanceof ExecutionFailed ? err.report : undefined,
});
