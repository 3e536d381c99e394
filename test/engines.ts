/**
 * Per-test-file isolation on the shared engines started by test/global-setup.ts: every call
 * provisions a table and a queue set with a unique name.
 */
import { randomBytes } from "node:crypto";
import { sqsClient } from "@agentvine/core/adapters/sqs-queue";
import type { QueueUrls } from "@agentvine/core/resources";
import { awsClientConfig } from "@agentvine/local/aws-local-config";
import { provisionQueues, provisionTable } from "@agentvine/local/provision";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { SQSClient } from "@aws-sdk/client-sqs";
import { inject } from "vitest";

export interface FreshResources {
  dynamo: DynamoDBClient;
  sqs: SQSClient;
  tableName: string;
  queueUrls: QueueUrls;
}

export async function freshResources(name: string): Promise<FreshResources> {
  // Letters, digits and hyphens only; short enough for SQS's 80-character queue names.
  const base =
    name
      .replace(/[^A-Za-z0-9-]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 40) || "test";
  const unique = `${base}-${randomBytes(4).toString("hex")}`;
  const dynamo = new DynamoDBClient(awsClientConfig(inject("dynamoEndpoint")));
  const sqs = sqsClient(awsClientConfig(inject("sqsEndpoint")));
  const [, queueUrls] = await Promise.all([provisionTable(dynamo, unique), provisionQueues(sqs, unique)]);
  return { dynamo, sqs, tableName: unique, queueUrls };
}
