import { describe, expect, it } from "vitest";
import { judge, reapAt } from "./policy.ts";

const MIN = 60_000;
const policy = { idleMs: 30 * MIN, maxAgeMs: 60 * MIN };
const t0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const at = (ms: number) => new Date(ms).toISOString();
/** A session created at t0 whose last activity was `lastActivity` ms after t0. */
const session = (lastActivity = 0) => ({ createdAt: at(t0), lastActivityAt: at(t0 + lastActivity) });

describe("keep-alive policy", () => {
  it("keeps a fresh session and says when it would be reaped", () => {
    expect(judge(session(), t0, policy)).toEqual({ terminate: false, reapAt: t0 + 30 * MIN });
  });

  it("keeps a session idle exactly the limit; reaps it 1 ms later", () => {
    expect(judge(session(), t0 + 30 * MIN, policy).terminate).toBe(false);
    const verdict = judge(session(), t0 + 30 * MIN + 1, policy);
    expect(verdict).toEqual({ terminate: true, reason: "Idle for 30 min (limit 30 min)" });
  });

  it("reaps an idle session with a reason that names the idle time and the limit", () => {
    const verdict = judge(session(), t0 + 31 * MIN, policy);
    expect(verdict).toEqual({ terminate: true, reason: "Idle for 31 min (limit 30 min)" });
  });

  it("a resumed session's age counts from its resume, not from its first open", () => {
    const resumed = { ...session(5 * 60 * MIN), resumedAt: at(t0 + 5 * 60 * MIN) };
    expect(judge(resumed, t0 + 5 * 60 * MIN + 10 * MIN, policy)).toEqual({
      terminate: false,
      reapAt: t0 + 5 * 60 * MIN + 30 * MIN,
    });
    expect(judge(session(5 * 60 * MIN), t0 + 5 * 60 * MIN + 10 * MIN, policy).terminate).toBe(true);
  });

  it("activity moves the idle limit", () => {
    expect(judge(session(29 * MIN), t0 + 58 * MIN, policy)).toEqual({
      terminate: false,
      reapAt: t0 + 59 * MIN,
    });
  });

  it("keeps an active session exactly at the maximum age; reaps it 1 ms later", () => {
    const busy = (now: number) => session(now - t0 - MIN); // active a minute ago
    expect(judge(busy(t0 + 60 * MIN), t0 + 60 * MIN, policy)).toEqual({
      terminate: false,
      reapAt: t0 + 60 * MIN,
    });
    const verdict = judge(busy(t0 + 60 * MIN + 1), t0 + 60 * MIN + 1, policy);
    expect(verdict.terminate).toBe(true);
    expect(verdict.terminate && verdict.reason).toMatch(/^Older than 60 min/);
  });

  it("reaps an old session even with activity just now", () => {
    const verdict = judge(session(90 * MIN), t0 + 90 * MIN, policy);
    expect(verdict).toEqual({ terminate: true, reason: "Older than 60 min (age 90 min)" });
  });

  it("reapAt is the earlier of the idle and the age limit", () => {
    expect(reapAt(session(0), policy)).toBe(t0 + 30 * MIN);
    expect(reapAt(session(20 * MIN), policy)).toBe(t0 + 50 * MIN);
    expect(reapAt(session(45 * MIN), policy)).toBe(t0 + 60 * MIN);
  });

  it("follows a configured policy", () => {
    const short = { idleMs: 5 * MIN, maxAgeMs: 10 * MIN };
    expect(judge(session(), t0 + 5 * MIN, short).terminate).toBe(false);
    expect(judge(session(), t0 + 5 * MIN + 1, short).terminate).toBe(true);
    expect(judge(session(9 * MIN), t0 + 10 * MIN + 1, short)).toMatchObject({ terminate: true });
  });

  it("states short limits in seconds", () => {
    const fast = { idleMs: 8_000, maxAgeMs: 60 * MIN };
    const verdict = judge(session(), t0 + 9_000, fast);
    expect(verdict).toEqual({ terminate: true, reason: "Idle for 9 s (limit 8 s)" });
  });
});
