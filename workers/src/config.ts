import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { configFromEnv, leaseSeconds } from "@agentvine/core/config";
import { configError } from "@agentvine/core/config-error";
import { LogLevel } from "@agentvine/core/log";
import { QueueUrlsJson } from "@agentvine/core/resources-schema";
import { z } from "zod";

/** The worker's configuration, parsed once from its environment (ECS task definition, or the local supervisor). */
const Env = z.object({
  AGENTVINE_API_URL: z.url(),
  AGENTVINE_WORKER_ENROLMENT_TOKEN: z.string().min(16),
  AGENTVINE_QUEUE_URLS: QueueUrlsJson,
  AGENTVINE_WORKER_NAME: z.string().min(1).max(100).optional(),
  /** How long an idle worker long-polls the queues per round. */
  AGENTVINE_POLL_WAIT_SECONDS: z.coerce.number().int().min(1).max(20).default(10),
  /** SIGTERM: how long the running task may go on before it is released back to the queue. */
  AGENTVINE_STOP_GRACE_MS: z.coerce.number().int().min(0).default(20_000),
  /** Retries of calls that failed transiently (API or SQS outage): backoff base and cap. */
  AGENTVINE_RETRY_BASE_MS: z.coerce.number().int().positive().default(250),
  AGENTVINE_RETRY_CAP_MS: z.coerce.number().int().positive().default(15_000),
  AGENTVINE_LOG_LEVEL: LogLevel.optional(),
  /** The worker's own folder: git mirrors, task worktrees, agent homes (the local runtime gives each worker one). */
  AGENTVINE_WORKER_DATA_DIR: z.string().min(1).optional(),
  /** The model Claude Code runs with when a task names none; unset = Claude Code's own default. */
  AGENTVINE_CLAUDE_MODEL: z.string().min(1).max(100).optional(),
  /** Which process this is, as its supervisor knows it (locally); on ECS the task ARN is used. */
  AGENTVINE_RUNTIME_ID: z.string().min(1).max(2048).optional(),
  /** Set by ECS on Fargate: task scale-in protection and the task's identity. */
  ECS_AGENT_URI: z.url().optional(),
  ECS_CONTAINER_METADATA_URI_V4: z.url().optional(),
});

export type WorkerConfig = ReturnType<typeof workerConfig>;

/** The worker's own secret: never repeated in a configuration error. */
const SECRETS = new Set(["AGENTVINE_WORKER_ENROLMENT_TOKEN"]);

/** Its environment, or a ConfigError naming each bad variable (and its value, unless secret). */
const parseEnv = (env: Record<string, string | undefined>) => {
  const parsed = Env.safeParse(env);
  if (parsed.success) return parsed.data;
  throw configError(
    parsed.error,
    (name) => name,
    (name) => (SECRETS.has(name) ? undefined : env[name]),
  );
};

export const workerConfig = (env: Record<string, string | undefined>) => {
  const e = parseEnv(env);
  // Heartbeat and lease are the domain's settings: read as the API reads them, so they agree.
  const shared = configFromEnv(env);
  return {
    apiUrl: e.AGENTVINE_API_URL.replace(/\/$/, ""),
    enrolmentToken: e.AGENTVINE_WORKER_ENROLMENT_TOKEN,
    queueUrls: e.AGENTVINE_QUEUE_URLS,
    name: e.AGENTVINE_WORKER_NAME ?? `${hostname()}-${process.pid}`,
    heartbeatIntervalMs: shared.heartbeatIntervalMs,
    pollWaitSeconds: e.AGENTVINE_POLL_WAIT_SECONDS,
    visibilitySeconds: leaseSeconds(shared),
    stopGraceMs: e.AGENTVINE_STOP_GRACE_MS,
    parkAfterMs: shared.parkAfterMs,
    retry: { baseMs: e.AGENTVINE_RETRY_BASE_MS, capMs: e.AGENTVINE_RETRY_CAP_MS },
    logLevel: e.AGENTVINE_LOG_LEVEL,
    dataDir: e.AGENTVINE_WORKER_DATA_DIR ?? join(tmpdir(), `agentvine-worker-${process.pid}`),
    claudeModel: e.AGENTVINE_CLAUDE_MODEL,
    runtimeId: e.AGENTVINE_RUNTIME_ID,
    ecsAgentUri: e.ECS_AGENT_URI,
    ecsMetadataUri: e.ECS_CONTAINER_METADATA_URI_V4,
  };
};
