import { defaultConfig, leaseSeconds } from "@agentvine/core/config";
import { AGENTS, type Agent } from "@agentvine/core/db/enums";
import type { App } from "sst/constructs";

/**
 * What may differ between stages, decided at deploy time from the stage name and the deploying
 * shell's AGENTVINE_* variables (docs/DEPLOY.md lists them). Everything else is fixed in the stacks.
 */
export interface Settings {
  /** Production stages keep their data: PITR, deletion protection, retain on `sst remove`. */
  production: boolean;
  workers: {
    /** Fargate task count bounds; autoscaling moves between them (0 = no idle cost). */
    min: number;
    max: number;
    /** Off: the count is only what the API's scaling endpoint (ECS UpdateService) sets. */
    autoscale: boolean;
    /** Outstanding queue messages one worker is meant to handle (a worker runs one task at a time). */
    backlogPerWorker: number;
    cpu: number;
    memoryMiB: number;
    /** The model of Claude Code tasks that name none (AGENTVINE_CLAUDE_MODEL); unset: Claude Code's default. */
    claudeModel?: string;
  };
  /** Two AZs named explicitly: synth needs no AWS lookup, and the VPC has no NAT to pay for per AZ. */
  availabilityZones: string[];
  logRetention: "two_weeks" | "three_months";
  /** Origins allowed by the HTTP API's CORS besides the stage's own web origin (e.g. a Vite dev server). */
  extraCorsOrigins: string[];
  /** An already built web/dist (CI artefacts, tests): uploaded as is instead of running the build. */
  webDist?: string;
  runtime: RuntimeSettings;
}

/**
 * What the API, the WebSocket routes, the schedule and the workers must agree on, passed to each
 * explicitly (runtimeEnvironment) rather than left to each process's own defaults.
 */
export interface RuntimeSettings {
  /** How long a claim lives without a heartbeat: AGENTVINE_LEASE_MS. */
  leaseMs: number;
  /** Workers heartbeat at this rate: AGENTVINE_HEARTBEAT_INTERVAL_MS. */
  heartbeatIntervalMs: number;
  /** Takeovers of a work order before its task fails: AGENTVINE_MAX_RETRIES. */
  maxRetries: number;
  /** The queues hide a received message one lease (SQS counts whole seconds, at most 12 h). */
  visibilityTimeoutSeconds: number;
  /** The agent of a task that names none: AGENTVINE_DEFAULT_AGENT. */
  defaultAgent: Agent;
  /** A request unanswered this long parks its run (0 = never): AGENTVINE_PARK_AFTER_MS. */
  parkAfterMs: number;
  /** A run parked this long is reaped and its snapshot deleted: AGENTVINE_PARK_MAX_MS (the bucket's expiry follows it). */
  parkMaxMs: number;
}

type Env = Record<string, string | undefined>;

const int = (env: Env, name: string, fallback: number, min: number) => {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min)
    throw new Error(`${name} must be an integer >= ${min}, got "${raw}"`);
  return value;
};

const list = (raw: string | undefined) =>
  (raw ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

/** Parsed as the API parses it: a name it does not know fails the deploy, not the first task. */
const agent = (raw: string | undefined): Agent => {
  if (!raw) return defaultConfig().defaultAgent;
  if (!(AGENTS as readonly string[]).includes(raw))
    throw new Error(`AGENTVINE_DEFAULT_AGENT must be one of ${AGENTS.join(", ")}, got "${raw}"`);
  return raw as Agent;
};

/** The deploying shell's values, else core's defaults (core/src/config.ts). */
const runtimeFor = (env: Env): RuntimeSettings => {
  const defaults = defaultConfig();
  const leaseMs = int(env, "AGENTVINE_LEASE_MS", defaults.leaseMs, 1000);
  const heartbeatIntervalMs = int(env, "AGENTVINE_HEARTBEAT_INTERVAL_MS", defaults.heartbeatIntervalMs, 1);
  const visibilityTimeoutSeconds = leaseSeconds({ leaseMs });
  if (visibilityTimeoutSeconds > 12 * 60 * 60)
    throw new Error(`AGENTVINE_LEASE_MS (${leaseMs}) is above SQS's 12 h visibility limit`);
  if (heartbeatIntervalMs >= leaseMs)
    throw new Error(
      `AGENTVINE_HEARTBEAT_INTERVAL_MS (${heartbeatIntervalMs}) must be below AGENTVINE_LEASE_MS (${leaseMs}): leases would lapse between heartbeats`,
    );
  return {
    leaseMs,
    heartbeatIntervalMs,
    maxRetries: int(env, "AGENTVINE_MAX_RETRIES", defaults.maxRetries, 0),
    visibilityTimeoutSeconds,
    defaultAgent: agent(env.AGENTVINE_DEFAULT_AGENT),
    parkAfterMs: int(env, "AGENTVINE_PARK_AFTER_MS", defaults.parkAfterMs, 0),
    parkMaxMs: int(env, "AGENTVINE_PARK_MAX_MS", defaults.parkMaxMs, 1),
  };
};

/** The runtime settings as the processes read them (functions/src/env.ts, workers/src/config.ts). */
export const runtimeEnvironment = (runtime: RuntimeSettings) => ({
  AGENTVINE_LEASE_MS: String(runtime.leaseMs),
  AGENTVINE_HEARTBEAT_INTERVAL_MS: String(runtime.heartbeatIntervalMs),
  AGENTVINE_MAX_RETRIES: String(runtime.maxRetries),
  AGENTVINE_DEFAULT_AGENT: runtime.defaultAgent,
  AGENTVINE_PARK_AFTER_MS: String(runtime.parkAfterMs),
  AGENTVINE_PARK_MAX_MS: String(runtime.parkMaxMs),
});

export const settingsFor = (stage: string, region: string, env: Env): Settings => {
  const productionStages = list(env.AGENTVINE_PRODUCTION_STAGES);
  const min = int(env, "AGENTVINE_WORKERS_MIN", 0, 0);
  const max = int(env, "AGENTVINE_WORKERS_MAX", Math.max(10, min), 1);
  if (max < min) throw new Error(`AGENTVINE_WORKERS_MAX (${max}) is below AGENTVINE_WORKERS_MIN (${min})`);
  const production = (productionStages.length ? productionStages : ["prod", "production"]).includes(stage);
  const azs = list(env.AGENTVINE_AZS);
  return {
    production,
    workers: {
      min,
      max,
      autoscale: env.AGENTVINE_WORKERS_AUTOSCALE !== "off",
      backlogPerWorker: int(env, "AGENTVINE_WORKERS_BACKLOG_PER_WORKER", 1, 1),
      cpu: int(env, "AGENTVINE_WORKER_CPU", 256, 256),
      memoryMiB: int(env, "AGENTVINE_WORKER_MEMORY", 512, 512),
      ...(env.AGENTVINE_CLAUDE_MODEL ? { claudeModel: env.AGENTVINE_CLAUDE_MODEL } : {}),
    },
    availabilityZones: azs.length ? azs : [`${region}a`, `${region}b`],
    logRetention: production ? "three_months" : "two_weeks",
    extraCorsOrigins: list(env.AGENTVINE_CORS_ORIGINS),
    ...(env.AGENTVINE_WEB_DIST ? { webDist: env.AGENTVINE_WEB_DIST } : {}),
    runtime: runtimeFor(env),
  };
};

export const settings = (app: App) => settingsFor(app.stage, app.region, process.env);

/**
 * Physical names of the worker cluster and service. Fixed names let the API stack point its
 * scaler (UpdateService) at the service without a reference to the Workers stack, which itself
 * needs the API's URL: the two stacks would otherwise depend on each other.
 */
export const workerNames = (app: App) => ({
  cluster: app.logicalPrefixedName("workers"),
  service: app.logicalPrefixedName("worker"),
});
