import { describe, expect, it } from "vitest";
import { agentEnv } from "./agent-env.ts";

describe("the agent's environment", () => {
  const worker = {
    PATH: "/usr/bin",
    ANTHROPIC_API_KEY: "sk-test",
    ANTHROPIC_BASE_URL: "http://127.0.0.1:1",
    AGENTVINE_WORKER_ENROLMENT_TOKEN: "secret-token-1234",
    HOME: "/root",
  };

  it("keeps the worker's environment but its own settings, in a home of its own, with traffic off", () => {
    const env = agentEnv(worker, "/data/claude/run-1", { bypass: false });
    expect(env).toMatchObject({
      PATH: "/usr/bin",
      ANTHROPIC_API_KEY: "sk-test",
      ANTHROPIC_BASE_URL: "http://127.0.0.1:1",
      HOME: "/data/claude/run-1",
      CLAUDE_CONFIG_DIR: "/data/claude/run-1/.claude",
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
      DISABLE_AUTOUPDATER: "1",
      DISABLE_TELEMETRY: "1",
      DISABLE_ERROR_REPORTING: "1",
    });
    expect(env).not.toHaveProperty("AGENTVINE_WORKER_ENROLMENT_TOKEN");
    expect(env).not.toHaveProperty("IS_SANDBOX");
  });

  it("says it runs in a sandbox only for bypass as root", () => {
    const asRoot = process.getuid?.() === 0;
    expect(agentEnv(worker, "/h", { bypass: true }).IS_SANDBOX).toBe(asRoot ? "1" : undefined);
  });
});
