import { describe, expect, it } from "vitest";
import { ExecutionFailed, RunStopped } from "./executor.ts";
import { endingOf, Stop } from "./stop.ts";

describe("endingOf: why a run that did not complete ended, and what it used", () => {
  const used = { turns: 3, inputTokens: 300 };
  const aborted = (reason: unknown) => AbortSignal.abort(reason);
  const running = new AbortController().signal;

  it("the worker's own stop wins over what the run threw, and keeps what it used", () => {
    const stop = new Stop("session-terminated", "by a person");
    expect(endingOf(new RunStopped(stop, used), aborted(stop))).toEqual({ reason: stop, report: used });
    const failed = new ExecutionFailed("the agent gave up", used);
    expect(endingOf(failed, aborted(stop))).toEqual({ reason: stop, report: used });
  });

  it("a stop from within the run (a session that could not open) is its reason", () => {
    const cause = new Error("session could not open");
    expect(endingOf(new RunStopped(cause, used), running)).toEqual({ reason: cause, report: used });
  });

  it("a failure is its own reason; an error without a report has none", () => {
    const failed = new ExecutionFailed("over budget", used);
    expect(endingOf(failed, running)).toEqual({ reason: failed, report: used });
    const boom = new Error("boom");
    expect(endingOf(boom, running)).toEqual({ reason: boom, report: undefined });
  });
});
