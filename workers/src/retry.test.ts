import { describe, expect, it } from "vitest";
import { ApiError } from "./api-client.ts";
import { createBackoff } from "./backoff.ts";
import { createOutage, retry } from "./retry.ts";

/** Calls that fail as scripted (an error, or a value to return); time only moves when slept. */
const setup = (script: unknown[]) => {
  let clock = 0;
  const lines: string[] = [];
  const slept: number[] = [];
  const outage = createOutage(
    "API",
    (msg) => lines.push(msg),
    () => clock,
  );
  const backoff = createBackoff({
    baseMs: 200,
    capMs: 1_000,
    random: () => 0.5,
    sleep: async (ms) => {
      slept.push(ms);
      clock += ms;
    },
  });
  let calls = 0;
  const call = async () => {
    const next = script[calls++];
    if (next instanceof Error) throw next;
    return next;
  };
  return { lines, slept, outage, backoff, call, calls: () => calls };
};
const down = () => Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNREFUSED" } });
const open = () => new AbortController().signal;

describe("retry through an outage", () => {
  it("retries transient failures with backoff and logs the outage once, start and end", async () => {
    const t = setup([down(), down(), new ApiError(503, "unavailable", "Service Unavailable"), "ok"]);
    const result = await retry("claim", t.call, { outage: t.outage, backoff: t.backoff, signal: open() });
    expect(result).toBe("ok");
    expect(t.slept).toEqual([100, 200, 400]);
    expect(t.lines).toEqual([
      "API unavailable (claim: fetch failed (ECONNREFUSED)); retrying with backoff",
      "API back after 0.7 s (3 failed attempts)",
    ]);
  });

  it("concurrent callers share one outage: one start line, one end line", async () => {
    const t = setup([down(), down(), "a", "b"]);
    const opts = { outage: t.outage, backoff: t.backoff, signal: open() };
    await Promise.all([retry("heartbeat", t.call, opts), retry("complete", t.call, opts)]);
    expect(t.lines).toHaveLength(2);
    expect(t.lines[1]).toMatch(/^API back after .* \(2 failed attempts\)$/);
  });

  it("throws a refusal or a fatal error at once, without retrying", async () => {
    for (const err of [new ApiError(409, "conflict", "taken"), new ApiError(401, "auth", "bad token")]) {
      const t = setup([err, "never"]);
      await expect(
        retry("claim", t.call, { outage: t.outage, backoff: t.backoff, signal: open() }),
      ).rejects.toBe(err);
      expect(t.calls()).toBe(1);
      expect(t.lines).toEqual([]);
    }
  });

  it("gives up with the last error once its signal aborts (the worker is closing)", async () => {
    const stop = new AbortController();
    const t = setup([down(), down(), down(), down()]);
    const backoff = { ...t.backoff, wait: async () => void stop.abort() };
    await expect(retry("poll", t.call, { outage: t.outage, backoff, signal: stop.signal })).rejects.toThrow(
      "fetch failed",
    );
    expect(t.calls()).toBe(1);
  });
});
