import { PRIORITIES, type Priority, QUEUES } from "@agentvine/core/resources";
import { Duration } from "aws-cdk-lib";
import { type IQueue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import { Queue, type StackContext } from "sst/constructs";
import { settings } from "./settings.ts";

export type PriorityQueues = Record<Priority, { main: IQueue; dead: IQueue }>;

/**
 * One SQS queue per priority, each with its dead-letter queue, from core/src/resources.ts. A
 * received message stays hidden one lease: the lease the functions and workers are given.
 */
export function Queues({ stack, app }: StackContext) {
  const prefix = `${app.stage}-${app.name}`;
  const { runtime } = settings(app);
  const common = {
    retentionPeriod: Duration.seconds(QUEUES.messageRetentionSeconds),
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
  };
  const queues = Object.fromEntries(
    PRIORITIES.map((priority) => {
      const dead = new Queue(stack, `${priority}-dlq`, {
        cdk: { queue: { ...common, queueName: QUEUES.dlqName(prefix, priority) } },
      }).cdk.queue;
      const main = new Queue(stack, priority, {
        cdk: {
          queue: {
            ...common,
            queueName: QUEUES.name(prefix, priority),
            visibilityTimeout: Duration.seconds(runtime.visibilityTimeoutSeconds),
            receiveMessageWaitTime: Duration.seconds(QUEUES.receiveWaitSeconds),
            deadLetterQueue: { queue: dead, maxReceiveCount: QUEUES.maxReceiveCount },
          },
        },
      }).cdk.queue;
      return [priority, { main, dead }];
    }),
  ) as PriorityQueues;
  return { queues };
}
