import type { Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { settingsFor } from "./settings.ts";
import { resourcesOf, synth } from "./synth.ts";

// A production stage with the worker bounds set from the deploying shell.
let t: Record<string, Template>;
beforeAll(async () => {
  t = await synth("production", { AGENTVINE_WORKERS_MIN: "1", AGENTVINE_WORKERS_MAX: "50" });
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

  it("keeps function logs three months", () => {
    const retention = resourcesOf(t, "Custom::LogRetention").map(([, , r]) => r.Properties.RetentionInDays);
    expect(retention.length).toBeGreaterThanOrEqual(5);
    expect(new Set(retention)).toEqual(new Set([90]));
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

  it("rejects bounds that are not whole numbers or that cross", () => {
    expect(() => env({ AGENTVINE_WORKERS_MAX: "2.5" })).toThrow(/AGENTVINE_WORKERS_MAX/);
    expect(() => env({ AGENTVINE_WORKERS_MIN: "-1" })).toThrow(/AGENTVINE_WORKERS_MIN/);
    expect(() => env({ AGENTVINE_WORKERS_MIN: "5", AGENTVINE_WORKERS_MAX: "3" })).toThrow(/below/);
    expect(env({ AGENTVINE_WORKERS_MIN: "12" }).workers.max).toBe(12);
    expect(env({ AGENTVINE_WORKERS_AUTOSCALE: "off" }).workers.autoscale).toBe(false);
  });
});
