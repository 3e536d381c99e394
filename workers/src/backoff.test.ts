import { describe, expect, it } from "vitest";
import { createBackoff } from "./backoff.ts";

describe("backoff", () => {
  it("doubles the ceiling per attempt up to the cap, and jitters across all of it", () => {
    const top = createBackoff({ baseMs: 100, capMs: 1_000, random: () => 0.999999 });
    expect([0, 1, 2, 3, 4, 10].map((n) => Math.round(top.delayMs(n)))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
    const bottom = createBackoff({ baseMs: 100, capMs: 1_000, random: () => 0 });
    expect(bottom.delayMs(5)).toBe(0);
    const half = createBackoff({ baseMs: 100, capMs: 1_000, random: () => 0.5 });
    expect(half.delayMs(2)).toBe(200);
  });

  it("stays finite however long the outage", () => {
    const b = createBackoff({ baseMs: 250, capMs: 15_000, random: () => 0.5 });
    expect(b.delayMs(5_000)).toBe(7_500);
  });

  it("waits through the injected sleep with the jittered delay", async () => {
    const slept: number[] = [];
    const b = createBackoff({
      baseMs: 10,
      capMs: 50,
      random: () => 0.5,
      sleep: async (ms) => void slept.push(ms),
    });
    for (let n = 0; n < 4; n++) await b.wait(n, new AbortController().signal);
    expect(slept).toEqual([5, 10, 20, 25]);
  });

  it("the real sleep ends at once when its signal aborts", async () => {
    const b = createBackoff({ baseMs: 60_000, capMs: 60_000, random: () => 1 });
    const stop = new AbortController();
    const waited = b.wait(0, stop.signal);
    stop.abort();
    await expect(waited).resolves.toBeUndefined();
  });
});
