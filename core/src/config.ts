import { z } from "zod";
import { configError } from "./config-error.ts";
import { AGENTS } from "./db/enums.ts";

/**
 * Behaviour settings of the domain, each with its environment variable and its default, in
 * this one place. Every process parses them once at its edge (configFromEnv: the API's
 * functions/src/env.ts, the worker's workers/src/config.ts, the local runtime); core never
 * reads process.env. The queues' visibility timeout derives from the lease (leaseSeconds).
 */
const ms = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const MINUTE = 60_000;

const SETTINGS = {
  /** Keep-alive policy: a session idle longer than this is reaped (SPEC: 30 min). */
  sessionIdleMs: { env: "AGENTVINE_SESSION_IDLE_MS", schema: ms(30 * MINUTE) },
  /** Keep-alive policy: a session older than this is reaped (SPEC: 1 h). */
  sessionMaxAgeMs: { env: "AGENTVINE_SESSION_MAX_AGE_MS", schema: ms(60 * MINUTE) },
  reaperIntervalMs: { env: "AGENTVINE_REAPER_INTERVAL_MS", schema: ms(MINUTE) },
  /** How long a claim lives without a heartbeat; also the SQS visibility given at claim. */
  leaseMs: { env: "AGENTVINE_LEASE_MS", schema: ms(MINUTE) },
  /** Takeovers of a work order after its worker was lost, before the task is failed. */
  maxRetries: { env: "AGENTVINE_MAX_RETRIES", schema: z.coerce.number().int().min(0).default(3) },
  /** Workers heartbeat at this rate; one silent for 3 intervals is shown offline. */
  heartbeatIntervalMs: { env: "AGENTVINE_HEARTBEAT_INTERVAL_MS", schema: ms(15_000) },
  /** A queued work order not claimed for this long gets its SQS message sent again. */
  resendAfterMs: { env: "AGENTVINE_RESEND_AFTER_MS", schema: ms(15 * MINUTE) },
  wsTicketTtlMs: { env: "AGENTVINE_WS_TICKET_TTL_MS", schema: ms(MINUTE) },
  /**
   * How long a process keeps a token's actor after reading it (0 = reads it on every request).
   * A token revoked through another process still works in this one for up to this long.
   */
  authCacheMs: { env: "AGENTVINE_AUTH_CACHE_MS", schema: z.coerce.number().int().min(0).default(5_000) },
  /** API Gateway closes a WebSocket after 2 h; a connection record outlives it by nothing. */
  connectionTtlMs: { env: "AGENTVINE_CONNECTION_TTL_MS", schema: ms(120 * MINUTE) },
  activityTtlMs: { env: "AGENTVINE_ACTIVITY_TTL_MS", schema: ms(7 * 24 * 60 * MINUTE) },
  /** Largest execution output kept; the rest is cut so no item nears DynamoDB's 400 KB. */
  maxOutputBytes: { env: "AGENTVINE_MAX_OUTPUT_BYTES", schema: ms(64 * 1024) },
  /** Largest agent transcript and diff kept on an execution, cut like the output. */
  maxTranscriptBytes: { env: "AGENTVINE_MAX_TRANSCRIPT_BYTES", schema: ms(60 * 1024) },
  maxDiffBytes: { env: "AGENTVINE_MAX_DIFF_BYTES", schema: ms(60 * 1024) },
  /** A request unanswered this long parks its run: the worker saves it and goes back to the queue (0 = never). */
  parkAfterMs: {
    env: "AGENTVINE_PARK_AFTER_MS",
    schema: z.coerce
      .number()
      .int()
      .min(0)
      .default(2 * MINUTE),
  },
  /** A run parked this long unanswered is reaped: its task fails and its snapshot is deleted. */
  parkMaxMs: { env: "AGENTVINE_PARK_MAX_MS", schema: ms(24 * 60 * MINUTE) },
  /** The agent of a task created without one: the stub needs no API key, so a new install works as is. */
  defaultAgent: { env: "AGENTVINE_DEFAULT_AGENT", schema: z.enum(AGENTS).default("stub") },
  /**
   * A failed webhook delivery is tried again after base * 2^(attempt - 1), at most cap (SQS
   * delays a message 15 min at most): 6 tries over about 15 min with the defaults.
   */
  webhookRetryBaseMs: { env: "AGENTVINE_WEBHOOK_RETRY_BASE_MS", schema: ms(30_000) },
  webhookRetryCapMs: { env: "AGENTVINE_WEBHOOK_RETRY_CAP_MS", schema: ms(15 * MINUTE) },
  /** How long a webhook receiver has to answer one delivery. */
  webhookTimeoutMs: { env: "AGENTVINE_WEBHOOK_TIMEOUT_MS", schema: ms(10_000) },
  /** The web UI's address, for links in webhook messages; unset: the local runtime's own origin, or no link. */
  publicUrl: { env: "AGENTVINE_PUBLIC_URL", schema: z.url().optional() },
  /** The model of the LLM controller (policy rules with `then: "controller"`); it needs ANTHROPIC_API_KEY. */
  controllerModel: {
    env: "AGENTVINE_CONTROLLER_MODEL",
    schema: z.string().min(1).default("claude-haiku-4-5"),
  },
  /** A controller slower than this escalates the request to a person. */
  controllerTimeoutMs: { env: "AGENTVINE_CONTROLLER_TIMEOUT_MS", schema: ms(20_000) },
} as const;

type Settings = typeof SETTINGS;
const names = Object.keys(SETTINGS) as (keyof Settings)[];

export const Config = z.object(
  Object.fromEntries(names.map((name) => [name, SETTINGS[name].schema])) as {
    [K in keyof Settings]: Settings[K]["schema"];
  },
);
export type Config = z.infer<typeof Config>;

/** The environment variables a deployment passes to set these (infra gives them to Lambda and Fargate). */
export const CONFIG_ENV: Record<keyof Config, string> = Object.fromEntries(
  names.map((name) => [name, SETTINGS[name].env]),
) as Record<keyof Config, string>;

/**
 * AGENTVINE_LEASE_MS -> leaseMs, and so on; unset variables take their defaults. A bad value is a
 * ConfigError naming its variable and the value given (none of these settings is a secret).
 */
export const configFromEnv = (env: Record<string, string | undefined>): Config => {
  const variable = (name: string) => SETTINGS[name as keyof Settings]?.env ?? name;
  const parsed = Config.safeParse(Object.fromEntries(names.map((name) => [name, env[SETTINGS[name].env]])));
  if (parsed.success) return parsed.data;
  throw configError(parsed.error, variable, (name) => env[variable(name)]);
};

export const defaultConfig = (): Config => Config.parse({});

/** The lease in whole seconds: SQS visibility at claim, on renewal, and the queues' default. */
export const leaseSeconds = (config: Pick<Config, "leaseMs">) => Math.ceil(config.leaseMs / 1000);
