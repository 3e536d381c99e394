/**
 * The API, the worker and the queues read the lease and the heartbeat from one definition
 * (core/src/config.ts): given the same environment they agree, and unset they share defaults.
 */
import { CONFIG_ENV, defaultConfig, leaseSeconds } from "@agentvine/core/config";
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
    expect(() => configFromEnv({ AGENTVINE_LEASE_MS: "soon" })).toThrow(/leaseMs/);
  });

  it("parking: 0 means never, accepted by the API and the worker alike; a zero park limit is refused by name", () => {
    const env = { ...workerEnv, AGENTVINE_PARK_AFTER_MS: "0", AGENTVINE_PARK_MAX_MS: "3600000" };
    expect(configFromEnv(env)).toMatchObject({ parkAfterMs: 0, parkMaxMs: 3_600_000 });
    expect(() => workerConfig(env)).not.toThrow();
    expect(defaultConfig()).toMatchObject({ parkAfterMs: 120_000, parkMaxMs: 24 * 3_600_000 });
    expect(() => configFromEnv({ AGENTVINE_PARK_MAX_MS: "0" })).toThrow(/parkMaxMs/);
    expect(() => configFromEnv({ AGENTVINE_PARK_AFTER_MS: "-1" })).toThrow(/parkAfterMs/);
  });
});
