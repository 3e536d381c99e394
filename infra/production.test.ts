import { defaultConfig } from "@agentvine/core/config";
import type { Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { workerConfig } from "../workers/src/config.ts";
import { type NagFinding, nagFailures } from "./nag.ts";
import { agreeingViews, runtimeViews } from "./runtime-views.ts";
import { settingsFor } from "./settings.ts";
import { resourcesOf, synth, workerEnvironment } from "./synth.ts";

// A production stage with the worker bounds and the lease settings set from the deploying shell.
const shell = {
  AGENTVINE_WORKERS_MIN: "1",
  AGENTVINE_WORKERS_MAX: "50",
  AGENTVINE_LEASE_MS: "90500",
  AGENTVINE_HEARTBEAT_INTERVAL_MS: "20000",
  AGENTVINE_MAX_RETRIES: "5",
  AGENTVINE_DEFAULT_AGENT: "claude-code",
  AGENTVINE_CLAUDE_MODEL: "claude-opus-4-1",
  // Never park; a parked run (none here) would be reaped after 3 days.
  AGENTVINE_PARK_AFTER_MS: "0",
  AGENTVINE_PARK_MAX_MS: String(3 * 24 * 3600_000),
};
let t: Record<string, Template>;
let nag: NagFinding[];
beforeAll(async () => {
  ({ templates: t, nag } = await synth("production", shell));
}, 120_000);

describe("a production stage", () => {
  it("keeps the table: point-in-time recovery, deletion protection, retained on removal", () => {
    t.Storage?.hasResource("AWS::DynamoDB::Table", {
      DeletionPolicy: "Retain",
      UpdateReplacePolicy: "Retain",
      Properties: {
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
      },
    });
  });

  it("keeps every log three months, and keeps the log groups and the access-log bucket on removal", () => {
    const groups = resourcesOf(t, "AWS::Logs::LogGroup");
    expect(groups.length).toBeGreaterThanOrEqual(10);
    expect(new Set(groups.map(([, , g]) => `${g.Properties.RetentionInDays} ${g.DeletionPolicy}`))).toEqual(
      new Set(["90 Retain"]),
    );
    t.WebHosting?.hasResource("AWS::S3::Bucket", {
      DeletionPolicy: "Retain",
      Properties: { LifecycleConfiguration: { Rules: [{ ExpirationInDays: 90, Status: "Enabled" }] } },
    });
  });

  it("gives the shell's lease, heartbeat, retries and default agent to every function and the worker, and the lease to the queues", () => {
    const runtime = settingsFor("production", "us-east-1", shell).runtime;
    expect(runtime).toEqual({
      leaseMs: 90_500,
      heartbeatIntervalMs: 20_000,
      maxRetries: 5,
      visibilityTimeoutSeconds: 91,
      defaultAgent: "claude-code",
      parkAfterMs: 0,
      parkMaxMs: 259_200_000,
    });
    expect(runtimeViews(t)).toEqual(agreeingViews(runtime));
    expect(workerConfig(workerEnvironment(t)).claudeModel).toBe("claude-opus-4-1");
  });

  it("keeps the snapshot bucket on removal, its snapshots one day past AGENTVINE_PARK_MAX_MS", () => {
    t.Snapshots?.hasResource("AWS::S3::Bucket", {
      DeletionPolicy: "Retain",
      Properties: {
        LifecycleConfiguration: {
          Rules: [{ Id: "expire-snapshots", Prefix: "snapshots/", ExpirationInDays: 4, Status: "Enabled" }],
        },
      },
    });
    // Parked tasks resume from it: nothing empties it on removal.
    expect(resourcesOf({ s: t.Snapshots as Template }, "Custom::S3AutoDeleteObjects")).toEqual([]);
  });

  it("takes the worker bounds from AGENTVINE_WORKERS_MIN/MAX, in at most 40 scaling steps", () => {
    t.Workers?.hasResourceProperties("AWS::ApplicationAutoScaling::ScalableTarget", {
      MinCapacity: 1,
      MaxCapacity: 50,
    });
    const steps = Object.values(
      t.Workers?.findResources("AWS::ApplicationAutoScaling::ScalingPolicy") ?? {},
    ).map((p) => p.Properties.StepScalingPolicyConfiguration.StepAdjustments);
    expect(steps.flat().length).toBeLessThanOrEqual(40);
    expect(steps.flat().map((s) => s.ScalingAdjustment)).toContain(50);
  });

  it("passes cdk-nag's AwsSolutions checks too (retained resources included)", () => {
    expect(nagFailures(nag)).toEqual([]);
  });
});

describe("settings", () => {
  const env = (vars: Record<string, string> = {}) => settingsFor("dev", "eu-west-1", vars);

  it("defaults to a disposable stage with 0-10 autoscaled workers in two named AZs", () => {
    expect(env()).toMatchObject({
      production: false,
      workers: { min: 0, max: 10, autoscale: true, backlogPerWorker: 1, cpu: 256, memoryMiB: 512 },
      availabilityZones: ["eu-west-1a", "eu-west-1b"],
      logRetention: "two_weeks",
      extraCorsOrigins: [],
    });
    expect(env({ AGENTVINE_CORS_ORIGINS: "http://localhost:5173" }).extraCorsOrigins).toEqual([
      "http://localhost:5173",
    ]);
  });

  it("knows production stages by name, configurable", () => {
    expect(settingsFor("prod", "us-east-1", {}).production).toBe(true);
    expect(settingsFor("prod", "us-east-1", { AGENTVINE_PRODUCTION_STAGES: "live" }).production).toBe(false);
    expect(
      settingsFor("live", "us-east-1", { AGENTVINE_PRODUCTION_STAGES: "staging, live" }).production,
    ).toBe(true);
  });

  it("takes the lease, heartbeat, retries and park settings from core's defaults unless the shell sets them", () => {
    const { leaseMs, heartbeatIntervalMs, maxRetries, parkAfterMs, parkMaxMs } = defaultConfig();
    expect(env().runtime).toEqual({
      leaseMs,
      heartbeatIntervalMs,
      maxRetries,
      visibilityTimeoutSeconds: Math.ceil(leaseMs / 1000),
      defaultAgent: "stub",
      parkAfterMs,
      parkMaxMs,
    });
    expect(env({ AGENTVINE_PARK_AFTER_MS: "0" }).runtime.parkAfterMs).toBe(0);
    expect(() => env({ AGENTVINE_PARK_AFTER_MS: "-1" })).toThrow(/AGENTVINE_PARK_AFTER_MS/);
    expect(() => env({ AGENTVINE_PARK_MAX_MS: "0" })).toThrow(/AGENTVINE_PARK_MAX_MS/);
    expect(() => env({ AGENTVINE_DEFAULT_AGENT: "codex" })).toThrow(
      /AGENTVINE_DEFAULT_AGENT must be one of stub, claude-code/,
    );
    expect(() => env({ AGENTVINE_LEASE_MS: "soon" })).toThrow(/AGENTVINE_LEASE_MS/);
    expect(() => env({ AGENTVINE_MAX_RETRIES: "-1" })).toThrow(/AGENTVINE_MAX_RETRIES/);
    expect(() => env({ AGENTVINE_LEASE_MS: "10000", AGENTVINE_HEARTBEAT_INTERVAL_MS: "10000" })).toThrow(
      /lapse between heartbeats/,
    );
    expect(() => env({ AGENTVINE_LEASE_MS: String(13 * 3600_000) })).toThrow(/12 h/);
  });

  it("rejects bounds that are not whole numbers or that cross", () => {
    expect(() => env({ AGENTVINE_WORKERS_MAX: "2.5" })).toThrow(/AGENTVINE_WORKERS_MAX/);
    expect(() => env({ AGENTVINE_WORKERS_MIN: "-1" })).toThrow(/AGENTVINE_WORKERS_MIN/);
    expect(() => env({ AGENTVINE_WORKERS_MIN: "5", AGENTVINE_WORKERS_MAX: "3" })).toThrow(/below/);
    expect(env({ AGENTVINE_WORKERS_MIN: "12" }).workers.max).toBe(12);
    expect(env({ AGENTVINE_WORKERS_AUTOSCALE: "off" }).workers.autoscale).toBe(false);
  });
});
