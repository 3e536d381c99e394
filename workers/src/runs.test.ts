import { describe, expect, it } from "vitest";
import { createRuns } from "./runs.ts";

/** A promise and its resolve, for work the test lets go on. */
const gate = () => {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
};

const recording = () => {
  const switches: boolean[] = [];
  return { switches, runs: createRuns({ set: async (on) => void switches.push(on) }) };
};

describe("a worker's runs", () => {
  it("frees the worker while a run reports its ending; protection stays on until the last run ends", async () => {
    const { switches, runs } = recording();
    const reported = gate();
    const first = runs.start("wo-1", async (_, free) => {
      free();
      await reported.opened;
    });
    await first.free;
    const second = runs.start("wo-2", async () => {});
    await second.done;
    expect(switches).toEqual([true]);
    reported.open();
    await first.done;
    expect(switches).toEqual([true, false]);
  });

  it("a run that fails before it is free fails the wait for it", async () => {
    const { switches, runs } = recording();
    const run = runs.start("wo-1", async () => {
      throw new Error("boom");
    });
    await expect(run.free).rejects.toThrow("boom");
    await expect(run.done).rejects.toThrow("boom");
    expect(switches).toEqual([true, false]);
  });

  it("stops the working run when its lease is lost, not one still reporting its ending", async () => {
    const { runs } = recording();
    const signals: AbortSignal[] = [];
    const hold = (abort: AbortController) =>
      new Promise<void>((resolve) =>
        abort.signal.aborted ? resolve() : abort.signal.addEventListener("abort", () => resolve()),
      );
    const reporting = runs.start("wo-1", async (abort, free) => {
      signals.push(abort.signal);
      free();
      await hold(abort);
    });
    await reporting.free;
    const working = runs.start("wo-2", async (abort) => {
      signals.push(abort.signal);
      await hold(abort);
    });
    await new Promise((r) => setImmediate(r)); // the run has begun its work
    // A beat read while the worker still held wo-1 says its lease is lost: not wo-2's business.
    runs.leaseLost("wo-1");
    expect(signals.map((s) => s.aborted)).toEqual([false, false]);
    runs.leaseLost("wo-2");
    await working.done;
    expect(signals.map((s) => s.aborted)).toEqual([false, true]);
    await runs.stop(0, new Error("closing"));
    await reporting.done;
    expect(signals[0]?.reason).toEqual(new Error("closing"));
  });

  it("stop waits for the runs within the grace period before stopping them", async () => {
    const { runs } = recording();
    const ended = gate();
    let aborted = false;
    const run = runs.start("wo-1", async (abort) => {
      abort.signal.addEventListener("abort", () => {
        aborted = true;
      });
      await ended.opened;
    });
    const stopping = runs.stop(60_000, new Error("closing"));
    ended.open();
    await stopping;
    await run.done;
    expect(aborted).toBe(false);
  });
});
