import { PRIORITIES, type Priority, QUEUES } from "@agentvine/core/resources";
import { Duration } from "aws-cdk-lib";
import { type IQueue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import type { Construct } from "constructs";
import { Queue, type StackContext } from "sst/constructs";
import { settings } from "./settings.ts";

export type PriorityQueues = Record<Priority, { main: IQueue; dead: IQueue }>;

/** A queue's shape as core/src/resources.ts defines it, with its physical names. */
export interface QueueShape {
  name: string;
  dlqName: string;
  visibilityTimeoutSeconds: number;
  receiveWaitSeconds: number;
  maxReceiveCount: number;
  messageRetentionSeconds: number;
}

/** A queue and its dead-letter queue (`<id>-dlq`), both encrypted at rest and TLS-only. */
export const queueWithDlq = (scope: Construct, id: string, shape: QueueShape) => {
  const common = {
    retentionPeriod: Duration.seconds(shape.messageRetentionSeconds),
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
  };
  const dead = new Queue(scope, `${id}-dlq`, { cdk: { queue: { ...common, queueName: shape.dlqName } } }).cdk
    .queue;
  const main = new Queue(scope, id, {
    cdk: {
      queue: {
        ...common,
        queueName: shape.name,
        visibilityTimeout: Duration.seconds(shape.visibilityTimeoutSeconds),
        receiveMessageWaitTime: Duration.seconds(shape.receiveWaitSeconds),
        deadLetterQueue: { queue: dead, maxReceiveCount: shape.maxReceiveCount },
      },
    },
  }).cdk.queue;
  return { main, dead };
};

/**
 * One SQS queue per priority, each with its dead-letter queue, from core/src/resources.ts. A
 * received message stays hidden one lease: the lease the functions and workers are given.
 */
export function Queues({ stack, app }: StackContext) {
  const prefix = `${app.stage}-${app.name}`;
  const { runtime } = settings(app);
  const queues = Object.fromEntries(
    PRIORITIES.map((priority) => [
      priority,
      queueWithDlq(stack, priority, {
        ...QUEUES,
        name: QUEUES.name(prefix, priority),
        dlqName: QUEUES.dlqName(prefix, priority),
        visibilityTimeoutSeconds: runtime.visibilityTimeoutSeconds,
      }),
    ]),
  ) as PriorityQueues;
  return { queues };
}
