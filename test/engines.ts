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
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import type { SQSClient } from "@aws-sdk/client-sqs";
import { inject } from "vitest";

export interface FreshResources {
  dynamo: DynamoDBClient;
  sqs: SQSClient;
  tableName: string;
  queueUrls: QueueUrls;
}

/** Letters, digits and hyphens only; short enough for SQS's 80-character queue names and S3's 63. */
const uniqueName = (name: string) => {
  const base =
    name
      .replace(/[^A-Za-z0-9-]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 40) || "test";
  return `${base}-${randomBytes(4).toString("hex")}`;
};

export async function freshResources(name: string): Promise<FreshResources> {
  const unique = uniqueName(name);
  const dynamo = new DynamoDBClient(awsClientConfig(inject("dynamoEndpoint")));
  const sqs = sqsClient(awsClientConfig(inject("sqsEndpoint")));
  const [, queueUrls] = await Promise.all([provisionTable(dynamo, unique), provisionQueues(sqs, unique)]);
  return { dynamo, sqs, tableName: unique, queueUrls };
}

/** A new bucket in fauxqs' S3 (the same endpoint as its SQS), addressed path-style as emulators need. */
export async function freshBucket(name: string): Promise<{ s3: S3Client; bucket: string; endpoint: string }> {
  const endpoint = inject("sqsEndpoint");
  const s3 = new S3Client({ ...awsClientConfig(endpoint), forcePathStyle: true });
  const bucket = uniqueName(name).toLowerCase();
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  return { s3, bucket, endpoint };
}
