/**
 * The API, the worker and the queues read the lease and the heartbeat from one definition
 * (core/src/config.ts): given the same environment they agree, and unset they share defaults.
 */
import { CONFIG_ENV, defaultConfig, leaseSeconds } from "@agentvine/core/config";
import { ConfigError } from "@agentvine/core/config-error";
import { QUEUES } from "@agentvine/core/resources";
import { configFromEnv } from "@agentvine/functions/env";
import { describe, expect, it } from "vitest";
import { workerConfig } from "../workers/src/config.ts";

const queueUrls = JSON.stringify(
  Object.fromEntries(
    ["high", "normal", "low"].map((p) => [p, { url: `http://sqs/${p}`, dlqUrl: `http://sqs/${p}-dlq` }]),
  ),
);
const workerEnv = {
  AGENTVINE_API_URL: "http://api",
  AGENTVINE_WORKER_ENROLMENT_TOKEN: "enrolment-token-0123456789",
  AGENTVINE_QUEUE_URLS: queueUrls,
};

describe("configuration agreement", () => {
  it("same environment: the API's lease and heartbeat are the worker's", () => {
    const env = { ...workerEnv, AGENTVINE_LEASE_MS: "42500", AGENTVINE_HEARTBEAT_INTERVAL_MS: "7000" };
    const api = configFromEnv(env);
    const worker = workerConfig(env);
    expect(api.leaseMs).toBe(42_500);
    expect(worker.visibilitySeconds).toBe(leaseSeconds(api));
    expect(worker.visibilitySeconds).toBe(43);
    expect(worker.heartbeatIntervalMs).toBe(api.heartbeatIntervalMs);
    expect(worker.heartbeatIntervalMs).toBe(7000);
  });

  it("no environment: the queues' visibility, the API's lease and the worker's agree", () => {
    const api = configFromEnv({});
    const worker = workerConfig(workerEnv);
    expect(api).toEqual(defaultConfig());
    expect(QUEUES.visibilityTimeoutSeconds).toBe(leaseSeconds(api));
    expect(worker.visibilitySeconds).toBe(QUEUES.visibilityTimeoutSeconds);
    expect(worker.heartbeatIntervalMs).toBe(api.heartbeatIntervalMs);
  });

  it("every setting has its own AGENTVINE_ variable, and a bad value is refused by name", () => {
    const names = Object.values(CONFIG_ENV);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^AGENTVINE_[A-Z_]+$/);
    expect(() => configFromEnv({ AGENTVINE_LEASE_MS: "soon" })).toThrow(
      /^AGENTVINE_LEASE_MS: .*\(given: "soon"\)$/,
    );
  });

  it("parking: 0 means never, accepted by the API and the worker alike; a zero park limit is refused by name", () => {
    const env = { ...workerEnv, AGENTVINE_PARK_AFTER_MS: "0", AGENTVINE_PARK_MAX_MS: "3600000" };
    expect(configFromEnv(env)).toMatchObject({ parkAfterMs: 0, parkMaxMs: 3_600_000 });
    expect(() => workerConfig(env)).not.toThrow();
    expect(defaultConfig()).toMatchObject({ parkAfterMs: 120_000, parkMaxMs: 24 * 3_600_000 });
    expect(() => configFromEnv({ AGENTVINE_PARK_MAX_MS: "0" })).toThrow(/^AGENTVINE_PARK_MAX_MS: /);
    expect(() => configFromEnv({ AGENTVINE_PARK_AFTER_MS: "-1" })).toThrow(/^AGENTVINE_PARK_AFTER_MS: /);
  });

  it("a worker refuses its environment by variable, repeating values but never its token", () => {
    const refusal = (env: Record<string, string>) => {
      try {
        workerConfig(env);
      } catch (err) {
        if (err instanceof ConfigError) return err.problems;
        throw err;
      }
      throw new Error("accepted");
    };
    const problems = refusal({
      AGENTVINE_API_URL: "not a url",
      AGENTVINE_WORKER_ENROLMENT_TOKEN: "too-short",
      AGENTVINE_QUEUE_URLS: JSON.stringify({ high: "http://sqs/high" }),
    });
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^AGENTVINE_API_URL: .*\(given: "not a url"\)$/);
    expect(problems[1]).toMatch(/^AGENTVINE_WORKER_ENROLMENT_TOKEN: /);
    expect(problems.join("\n")).not.toContain("too-short");
    // The queue URLs say which priority's entry is wrong, not a JSON dump of zod's issues.
    expect(problems[2]).toMatch(/^AGENTVINE_QUEUE_URLS: expected \{ high, normal, low \}.*high: .*normal: /);
    expect(refusal({ ...workerEnv, AGENTVINE_LEASE_MS: "0" })).toEqual([
      expect.stringMatching(/^AGENTVINE_LEASE_MS: .*\(given: "0"\)$/),
    ]);
  });
});
