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
  };
  /** Two AZs named explicitly: synth needs no AWS lookup, and the VPC has no NAT to pay for per AZ. */
  availabilityZones: string[];
  logRetention: "two_weeks" | "three_months";
  /** Origins allowed by the HTTP API's CORS besides the stage's own web origin (e.g. a Vite dev server). */
  extraCorsOrigins: string[];
  /** An already built web/dist (CI artefacts, tests): uploaded as is instead of running the build. */
  webDist?: string;
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
    },
    availabilityZones: azs.length ? azs : [`${region}a`, `${region}b`],
    logRetention: production ? "three_months" : "two_weeks",
    extraCorsOrigins: list(env.AGENTVINE_CORS_ORIGINS),
    ...(env.AGENTVINE_WEB_DIST ? { webDist: env.AGENTVINE_WEB_DIST } : {}),
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
