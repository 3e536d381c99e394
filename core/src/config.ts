import { z } from "zod";

/**
 * Behaviour settings of the domain. Parsed once at the edge (functions/src/env.ts, the local
 * runtime); core never reads process.env.
 */
export const Config = z.object({
  /** Keep-alive policy: a session idle longer than this is reaped (SPEC: 30 min). */
  sessionIdleMs: z.coerce
    .number()
    .int()
    .positive()
    .default(30 * 60_000),
  /** Keep-alive policy: a session older than this is reaped (SPEC: 1 h). */
  sessionMaxAgeMs: z.coerce
    .number()
    .int()
    .positive()
    .default(60 * 60_000),
  reaperIntervalMs: z.coerce.number().int().positive().default(60_000),
  /** How long a claim lives without a heartbeat; also the SQS visibility given at claim. */
  leaseMs: z.coerce.number().int().positive().default(60_000),
  /** Takeovers of a work order after its worker was lost, before the task is failed. */
  maxRetries: z.coerce.number().int().min(0).default(3),
  /** Workers heartbeat at this rate; one silent for 3 intervals is shown offline. */
  heartbeatIntervalMs: z.coerce.number().int().positive().default(15_000),
  /** A queued work order not claimed for this long gets its SQS message sent again. */
  resendAfterMs: z.coerce
    .number()
    .int()
    .positive()
    .default(15 * 60_000),
  wsTicketTtlMs: z.coerce.number().int().positive().default(60_000),
  /** API Gateway closes a WebSocket after 2 h; a connection record outlives it by nothing. */
  connectionTtlMs: z.coerce
    .number()
    .int()
    .positive()
    .default(2 * 60 * 60_000),
  activityTtlMs: z.coerce
    .number()
    .int()
    .positive()
    .default(7 * 24 * 60 * 60_000),
  /** Largest execution output kept; the rest is cut so no item nears DynamoDB's 400 KB. */
  maxOutputBytes: z.coerce
    .number()
    .int()
    .positive()
    .default(64 * 1024),
});
export type Config = z.infer<typeof Config>;

export const defaultConfig = (): Config => Config.parse({});
