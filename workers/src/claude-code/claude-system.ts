import { afterAll, beforeAll } from "vitest";
import { type FakeAnthropic, startFakeAnthropic } from "../../../test/fake-anthropic/server.ts";
import { startSystem, type TestSystem } from "../../../test/system.ts";
import { createOrigin, type Origin } from "../workspace/git-fixture.ts";

/** Short leases and beats, so a lost or stopped run is seen within a test; no retries of a failed model call. */
const FAST = {
  AGENTVINE_LEASE_MS: "4000",
  AGENTVINE_HEARTBEAT_INTERVAL_MS: "500",
  AGENTVINE_CLAUDE_MODEL: "claude-sonnet-4-5",
  CLAUDE_CODE_MAX_RETRIES: "0",
};

export interface ClaudeSystem {
  system: TestSystem;
  /** The fake Messages API every Claude Code run (and the controller) of the system talks to. */
  fake: FakeAnthropic;
  /** A local bare repository: the tasks' origin. */
  origin: Origin;
}

/**
 * The running system (test/system.ts) with one real worker process whose Claude Code binary
 * talks to a fake Messages API, and a repository to work on: started before the enclosing
 * describe's tests (then `ready`, e.g. a policy put), stopped after them. `env` goes over FAST.
 */
export const useClaudeSystem = (
  name: string,
  env: Record<string, string> = {},
  ready: (s: ClaudeSystem) => Promise<unknown> = async () => {},
): ClaudeSystem => {
  const s = {} as ClaudeSystem;
  beforeAll(async () => {
    s.fake = await startFakeAnthropic([]);
    s.origin = await createOrigin();
    // npm start hands its environment to its workers, ANTHROPIC_* included.
    s.system = await startSystem(name, {
      workers: 1,
      env: { ...FAST, ...env, ANTHROPIC_BASE_URL: s.fake.url, ANTHROPIC_API_KEY: "fake-key" },
    });
    await ready(s);
  }, 120_000);
  afterAll(async () => {
    await s.system?.stop();
    await s.fake?.close();
    await s.origin?.cleanup();
  }, 120_000);
  return s;
};
