import { controllerFromEnv } from "@agentvine/core/adapters/anthropic-controller";
import { apiGatewayPush } from "@agentvine/core/adapters/api-gateway-push";
import { blobFromEnv } from "@agentvine/core/adapters/blob-from-env";
import { ecsScaler } from "@agentvine/core/adapters/ecs-scaler";
import { noScaler } from "@agentvine/core/adapters/no-scaler";
import { sqsClient, sqsQueue } from "@agentvine/core/adapters/sqs-queue";
import { sqsWebhookQueue } from "@agentvine/core/adapters/sqs-webhook-queue";
import * as Auth from "@agentvine/core/auth/service";
import { systemClock } from "@agentvine/core/clock";
import type { Ctx } from "@agentvine/core/context";
import { createDb } from "@agentvine/core/db/index";
import { log } from "@agentvine/core/log";
import { Webhook } from "@agentvine/core/webhook/index";
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
  const sqs = sqsClient();
  const ctx: Ctx = {
    db: createDb(new DynamoDBClient({}), env.AGENTVINE_TABLE),
    queue: sqsQueue(sqs, env.AGENTVINE_QUEUE_URLS),
    push: apiGatewayPush(new ApiGatewayManagementApiClient({ endpoint: env.AGENTVINE_WS_MANAGEMENT_URL })),
    scaler:
      env.AGENTVINE_ECS_CLUSTER && env.AGENTVINE_ECS_SERVICE
        ? ecsScaler(new ECSClient({}), env.AGENTVINE_ECS_CLUSTER, env.AGENTVINE_ECS_SERVICE)
        : noScaler,
    // The snapshot bucket on AWS; the folder only where none is named (a test of this context).
    blob: blobFromEnv({ ...process.env, AGENTVINE_BLOB_DIR: env.AGENTVINE_BLOB_DIR }),
    clock: systemClock,
    config: configFromEnv(process.env),
    ...(env.AGENTVINE_WEBHOOK_QUEUE_URL
      ? { webhookQueue: sqsWebhookQueue(sqs, env.AGENTVINE_WEBHOOK_QUEUE_URL) }
      : {}),
  };
  // On AWS the controller's key is an SST secret of the API's own (CONTROLLER_API_KEY; "none": no
  // controller, its requests go to people), not the workers' agent key.
  const key = process.env.SST_Secret_value_CONTROLLER_API_KEY ?? process.env.ANTHROPIC_API_KEY;
  const controller = controllerFromEnv(
    { ...process.env, ANTHROPIC_API_KEY: key === "none" ? undefined : key },
    ctx.config,
  );
  if (controller) ctx.controller = controller;
  // The bootstrap admin token (an SST secret) is made valid once; later starts find it there.
  // The webhook of AGENTVINE_WEBHOOK_URL is made or brought up to date likewise.
  const ready = Promise.all([
    env.AGENTVINE_ADMIN_TOKEN
      ? Auth.ensureToken(ctx, { name: "bootstrap admin", role: "admin", secret: env.AGENTVINE_ADMIN_TOKEN })
      : undefined,
    Webhook.ensureFromEnv(ctx, { url: env.AGENTVINE_WEBHOOK_URL, secret: env.AGENTVINE_WEBHOOK_SECRET }),
  ]);
  // Functions that do not wait for it must not die of an unhandled rejection; those that do still see it.
  ready.catch((err: unknown) => log.error({ err }, "start-up step failed"));
  return { env, ctx, ready };
};
