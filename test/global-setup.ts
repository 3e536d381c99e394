/**
 * Vitest global setup: one DynamoDB engine (DynamoDB Local in memory, or dynalite with
 * AGENTVINE_TEST_DYNAMO=dynalite / without Java) and one fauxqs for the whole run. Test files
 * get the endpoints with `inject(...)` (see test/engines.ts) and provision their own table/queues.
 */
import { type DynamoEngine, type DynamoEngineKind, startDynamo } from "@agentvine/local/engines/dynamodb";
import { type SqsEngine, startSqs } from "@agentvine/local/engines/sqs";
import type { TestProject } from "vitest/node";

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const forced = engineFromEnv(process.env.AGENTVINE_TEST_DYNAMO);
  const log = (msg: string) => console.log(`[global-setup] ${msg}`);

  // Start both; if one fails, stop the other before failing the run.
  const [dynamoResult, sqsResult] = await Promise.allSettled([
    startDynamo({ engine: forced, log }),
    startSqs({}),
  ]);
  if (dynamoResult.status === "rejected" || sqsResult.status === "rejected") {
    await Promise.allSettled([
      dynamoResult.status === "fulfilled" ? dynamoResult.value.stop() : undefined,
      sqsResult.status === "fulfilled" ? sqsResult.value.stop() : undefined,
    ]);
    throw dynamoResult.status === "rejected"
      ? dynamoResult.reason
      : (sqsResult as PromiseRejectedResult).reason;
  }
  const dynamo: DynamoEngine = dynamoResult.value;
  const sqs: SqsEngine = sqsResult.value;
  log(`${dynamo.kind} at ${dynamo.endpoint}, fauxqs at ${sqs.endpoint}`);
  project.provide("dynamoEndpoint", dynamo.endpoint);
  project.provide("sqsEndpoint", sqs.endpoint);
  project.provide("dynamoKind", dynamo.kind);

  return async () => {
    await Promise.allSettled([dynamo.stop(), sqs.stop()]);
  };
}

function engineFromEnv(value: string | undefined): DynamoEngineKind | undefined {
  if (!value) return undefined;
  if (value === "dynalite" || value === "dynamodb-local") return value;
  throw new Error(`AGENTVINE_TEST_DYNAMO must be "dynalite" or "dynamodb-local", got "${value}"`);
}
