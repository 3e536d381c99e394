/**
 * Creates the local table and queues from core/src/resources.ts — the same definitions infra/
 * deploys — so the local shape cannot drift from the AWS one. Every function is idempotent.
 */

import {
  PRIORITIES,
  type Priority,
  QUEUES,
  type QueueUrls,
  TABLE,
  WEBHOOK_QUEUE,
} from "@agentvine/core/resources";
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  UpdateTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from "@aws-sdk/client-sqs";

export { awsClientConfig } from "./aws-local-config.ts";

const TABLE_ACTIVE_TIMEOUT_MS = 30_000;

export async function provisionTable(client: DynamoDBClient, tableName: string): Promise<void> {
  const keyAttributes = new Set<string>([TABLE.partitionKey, TABLE.sortKey]);
  for (const index of TABLE.indexes) {
    keyAttributes.add(index.partitionKey);
    keyAttributes.add(index.sortKey);
  }
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: "PAY_PER_REQUEST",
        AttributeDefinitions: [...keyAttributes].map((name) => ({ AttributeName: name, AttributeType: "S" })),
        KeySchema: [
          { AttributeName: TABLE.partitionKey, KeyType: "HASH" },
          { AttributeName: TABLE.sortKey, KeyType: "RANGE" },
        ],
        GlobalSecondaryIndexes: TABLE.indexes.map((index) => ({
          IndexName: index.name,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: "HASH" },
            { AttributeName: index.sortKey, KeyType: "RANGE" },
          ],
          Projection: { ProjectionType: "ALL" },
        })),
      }),
    );
  } catch (err) {
    if (errorName(err) !== "ResourceInUseException") throw err;
  }
  await waitForTableActive(client, tableName);
  await enableTtl(client, tableName);
}

async function waitForTableActive(client: DynamoDBClient, tableName: string): Promise<void> {
  const deadline = Date.now() + TABLE_ACTIVE_TIMEOUT_MS;
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const indexesActive = (Table?.GlobalSecondaryIndexes ?? []).every((i) => i.IndexStatus === "ACTIVE");
    if (Table?.TableStatus === "ACTIVE" && indexesActive) return;
    if (Date.now() > deadline) {
      throw new Error(
        `Table ${tableName} not ACTIVE after ${TABLE_ACTIVE_TIMEOUT_MS} ms (${Table?.TableStatus})`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function enableTtl(client: DynamoDBClient, tableName: string): Promise<void> {
  // UpdateTimeToLive fails when TTL is already enabled, so look first.
  const current = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  const status = current.TimeToLiveDescription?.TimeToLiveStatus;
  if (
    (status === "ENABLED" || status === "ENABLING") &&
    current.TimeToLiveDescription?.AttributeName === TABLE.ttlAttribute
  ) {
    return;
  }
  try {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: TABLE.ttlAttribute, Enabled: true },
      }),
    );
  } catch (err) {
    // dynalite has no UpdateTimeToLive; readers filter expired items anyway.
    if (errorName(err) !== "UnknownOperationException") throw err;
  }
}

export async function provisionQueues(client: SQSClient, prefix: string): Promise<QueueUrls> {
  const entries = await Promise.all(
    PRIORITIES.map(
      async (priority) => [priority, await provisionPriority(client, prefix, priority)] as const,
    ),
  );
  return Object.fromEntries(entries) as QueueUrls;
}

function provisionPriority(client: SQSClient, prefix: string, priority: Priority) {
  return provisionWithDlq(client, {
    ...QUEUES,
    name: QUEUES.name(prefix, priority),
    dlqName: QUEUES.dlqName(prefix, priority),
  });
}

/** The webhook delivery queue (and its dead-letter queue); its URL. */
export async function provisionWebhookQueue(client: SQSClient, prefix: string): Promise<string> {
  const { url } = await provisionWithDlq(client, {
    ...WEBHOOK_QUEUE,
    name: WEBHOOK_QUEUE.name(prefix),
    dlqName: WEBHOOK_QUEUE.dlqName(prefix),
  });
  return url;
}

interface QueueShape {
  name: string;
  dlqName: string;
  visibilityTimeoutSeconds: number;
  messageRetentionSeconds: number;
  receiveWaitSeconds: number;
  maxReceiveCount: number;
}

async function provisionWithDlq(
  client: SQSClient,
  shape: QueueShape,
): Promise<{ url: string; dlqUrl: string }> {
  const dlq = await client.send(
    new CreateQueueCommand({
      QueueName: shape.dlqName,
      Attributes: { MessageRetentionPeriod: String(shape.messageRetentionSeconds) },
    }),
  );
  const dlqUrl = required(dlq.QueueUrl, "DLQ QueueUrl");
  const { Attributes } = await client.send(
    new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ["QueueArn"] }),
  );
  const dlqArn = required(Attributes?.QueueArn, "DLQ QueueArn");
  const main = await client.send(
    new CreateQueueCommand({
      QueueName: shape.name,
      Attributes: {
        VisibilityTimeout: String(shape.visibilityTimeoutSeconds),
        MessageRetentionPeriod: String(shape.messageRetentionSeconds),
        ReceiveMessageWaitTimeSeconds: String(shape.receiveWaitSeconds),
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: dlqArn,
          maxReceiveCount: shape.maxReceiveCount,
        }),
      },
    }),
  );
  return { url: required(main.QueueUrl, "QueueUrl"), dlqUrl };
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`SQS returned no ${what}`);
  return value;
}

function errorName(err: unknown): string | undefined {
  return err instanceof Error ? err.name : undefined;
}
