/**
 * The one definition of AgentVine's AWS resources: the DynamoDB table's keys and indexes and
 * the SQS queues. `infra/` (SST) and the local runtime both build their resources from here,
 * so the deployed shape and the local shape cannot drift apart.
 */
import { defaultConfig, leaseSeconds } from "./config.ts";

export const PRIORITIES = ["high", "normal", "low"] as const;
export type Priority = (typeof PRIORITIES)[number];

export interface IndexDefinition {
  readonly name: string;
  readonly partitionKey: string;
  readonly sortKey: string;
}

export const TABLE = {
  /** Default physical name locally; on AWS, SST names the table and passes it in. */
  defaultName: "agentvine",
  partitionKey: "pk",
  sortKey: "sk",
  /** Generic overloaded GSIs; each entity maps its access patterns onto them (see core/src/db). */
  indexes: [
    { name: "gsi1", partitionKey: "gsi1pk", sortKey: "gsi1sk" },
    { name: "gsi2", partitionKey: "gsi2pk", sortKey: "gsi2sk" },
    { name: "gsi3", partitionKey: "gsi3pk", sortKey: "gsi3sk" },
  ] satisfies IndexDefinition[],
  /** Epoch seconds; DynamoDB deletes expired items lazily, so readers also filter on it. */
  ttlAttribute: "expiresAt",
} as const;

export const QUEUES = {
  /** Physical queue name of a priority's queue; the DLQ gets the `-dlq` suffix. */
  name: (prefix: string, priority: Priority) => `${prefix}-${priority}`,
  dlqName: (prefix: string, priority: Priority) => `${prefix}-${priority}-dlq`,
  defaultPrefix: "agentvine",
  /**
   * A received message stays hidden this long unless the worker's heartbeat extends it: the
   * default lease (each receive and renewal passes the configured one explicitly).
   */
  visibilityTimeoutSeconds: leaseSeconds(defaultConfig()),
  /**
   * SQS's own backstop: a message received this often lands in the DLQ. Retries are counted
   * in DynamoDB first (WorkOrder.retryCount vs. config.maxRetries); this only catches what
   * the conditional claim never saw.
   */
  maxReceiveCount: 6,
  messageRetentionSeconds: 14 * 24 * 60 * 60,
  receiveWaitSeconds: 20,
} as const;

/**
 * The webhook delivery queue and its dead-letter queue: one message per event (fanned out to the
 * webhooks by the handler), or per retry of one webhook's delivery, delayed by its backoff.
 */
export const WEBHOOK_QUEUE = {
  name: (prefix: string) => `${prefix}-webhooks`,
  dlqName: (prefix: string) => `${prefix}-webhooks-dlq`,
  /** Above the delivery Lambda's timeout, as SQS event sources require. */
  visibilityTimeoutSeconds: 60,
  /** Retries are the handler's (new delayed messages); this only catches a handler that keeps crashing. */
  maxReceiveCount: 5,
  messageRetentionSeconds: 4 * 24 * 60 * 60,
  receiveWaitSeconds: 20,
} as const;

/** Where each priority's queue and its dead-letter queue live (URLs as SQS returns them). */
export type QueueUrls = Record<Priority, { url: string; dlqUrl: string }>;
