import { apiGatewayPush } from "@agentvine/core/adapters/api-gateway-push";
import { ecsScaler } from "@agentvine/core/adapters/ecs-scaler";
import { fsBlob } from "@agentvine/core/adapters/fs-blob";
import { noScaler } from "@agentvine/core/adapters/no-scaler";
import { sqsClient, sqsQueue } from "@agentvine/core/adapters/sqs-queue";
import * as Auth from "@agentvine/core/auth/service";
import { systemClock } from "@agentvine/core/clock";
import type { Ctx } from "@agentvine/core/context";
import { createDb } from "@agentvine/core/db/index";
import { ApiGatewayManagementApiClient } from "@aws-sdk/client-apigatewaymanagementapi";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ECSClient } from "@aws-sdk/client-ecs";
import { configFromEnv, parseEnv } from "./env.ts";

/**
 * The core context of a Lambda function, built once per cold start from its environment.
 * The SDK clients pick up AWS_ENDPOINT_URL (LocalStack) by themselves.
 */
export const awsContext = () => {
  const env = parseEnv(process.env);
  const ctx: Ctx = {
    db: createDb(new DynamoDBClient({}), env.AGENTVINE_TABLE),
    queue: sqsQueue(sqsClient(), env.AGENTVINE_QUEUE_URLS),
    push: apiGatewayPush(new ApiGatewayManagementApiClient({ endpoint: env.AGENTVINE_WS_MANAGEMENT_URL })),
    scaler:
      env.AGENTVINE_ECS_CLUSTER && env.AGENTVINE_ECS_SERVICE
        ? ecsScaler(new ECSClient({}), env.AGENTVINE_ECS_CLUSTER, env.AGENTVINE_ECS_SERVICE)
        : noScaler,
    blob: fsBlob(env.AGENTVINE_BLOB_DIR),
    clock: systemClock,
    config: configFromEnv(process.env),
  };
  // The bootstrap admin token (an SST secret) is made valid once; later starts find it there.
  const ready = env.AGENTVINE_ADMIN_TOKEN
    ? Auth.ensureToken(ctx, { name: "bootstrap admin", role: "admin", secret: env.AGENTVINE_ADMIN_TOKEN })
    : Promise.resolve();
  return { env, ctx, ready };
};
