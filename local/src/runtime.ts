import { existsSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import { apiGatewayPush } from "@agentvine/core/adapters/api-gateway-push";
import { sqsClient, sqsQueue } from "@agentvine/core/adapters/sqs-queue";
import { deferrals } from "@agentvine/core/after";
import * as Auth from "@agentvine/core/auth/service";
import { systemClock } from "@agentvine/core/clock";
import type { Ctx } from "@agentvine/core/context";
import { createDb } from "@agentvine/core/db/index";
import { hashSecret, newSecret } from "@agentvine/core/ids";
import { QUEUES, TABLE } from "@agentvine/core/resources";
import { reconcile } from "@agentvine/core/work-order/reconciler";
import { createApp } from "@agentvine/functions/api/app";
import { configFromEnv } from "@agentvine/functions/env";
import { tick } from "@agentvine/functions/scheduled/tick";
import { wsHandlers } from "@agentvine/functions/ws/handlers";
import { ApiGatewayManagementApiClient } from "@aws-sdk/client-apigatewaymanagementapi";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { getRequestListener } from "@hono/node-server";
import { localAdminToken } from "./admin-token.ts";
import { awsClientConfig, awsClientEnv } from "./aws-local-config.ts";
import { startDynamo } from "./engines/dynamodb.ts";
import { startSqs } from "./engines/sqs.ts";
import type { Options } from "./options.ts";
import { provisionQueues, provisionTable } from "./provision.ts";
import { serveWeb } from "./static-web.ts";
import { createSupervisor } from "./supervisor.ts";
import { attachWsGateway } from "./ws-gateway.ts";

export const WS_PATH = "/api/v1/chat/ws";
const WORKER_ENTRY = resolve(import.meta.dirname, "../../workers/src/main.ts");

/**
 * The whole system on one machine: engines, tables and queues from the shared definitions,
 * the REST app and WebSocket gateway on one port, the scheduled tick on a timer, and the
 * worker supervisor. Returns once everything answers; stop() leaves nothing running.
 */
export const startRuntime = async (options: Options, log: (msg: string) => void = console.log) => {
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const step of stops.reverse()) {
      try {
        await step();
      } catch (err) {
        log(`stop step failed: ${(err as Error).message}`);
      }
    }
  };
  try {
    const dataDir = resolve(options.dataDir);
    let dynamoEndpoint = options.endpoint;
    let sqsEndpoint = options.endpoint;
    if (!options.endpoint) {
      const [dynamo, sqs] = await Promise.all([
        startDynamo({ dataDir: join(dataDir, "dynamodb"), log }),
        startSqs({}),
      ]);
      stops.push(dynamo.stop, sqs.stop);
      dynamoEndpoint = dynamo.endpoint;
      sqsEndpoint = sqs.endpoint;
      log(`DynamoDB: ${dynamo.kind} (data in ${join(dataDir, "dynamodb")}); SQS: fauxqs (in memory)`);
    } else {
      log(`Using AWS_ENDPOINT_URL ${options.endpoint} for DynamoDB and SQS`);
    }
    const dynamo = new DynamoDBClient(awsClientConfig(dynamoEndpoint ?? ""));
    const sqs = sqsClient(awsClientConfig(sqsEndpoint ?? ""));
    const [, queueUrls] = await Promise.all([
      provisionTable(dynamo, TABLE.defaultName),
      provisionQueues(sqs, QUEUES.defaultPrefix),
    ]);

    const server = createServer();
    await new Promise<void>((ok, fail) => server.once("error", fail).listen(options.port, options.host, ok));
    const port = (server.address() as AddressInfo).port;
    const origin = `http://${options.host}:${port}`;
    stops.push(
      () =>
        new Promise<void>((ok) => {
          server.close(() => ok());
          server.closeAllConnections();
        }),
    );

    const enrolmentToken = options.enrolmentToken ?? newSecret("ave");
    const supervisor = createSupervisor({
      command: process.execPath,
      args: ["--import", "tsx", WORKER_ENTRY],
      env: {
        ...process.env,
        ...awsClientEnv(sqsEndpoint ?? ""),
        AGENTVINE_API_URL: origin,
        AGENTVINE_WORKER_ENROLMENT_TOKEN: enrolmentToken,
        AGENTVINE_QUEUE_URLS: JSON.stringify(queueUrls),
      },
      log,
    });

    // Events and timeline lines go out after each answer, in the background; drained on stop.
    const background = deferrals();
    stops.push(background.drain);
    const ctx: Ctx = {
      after: background.after,
      db: createDb(dynamo, TABLE.defaultName),
      queue: sqsQueue(sqs, queueUrls),
      push: apiGatewayPush(new ApiGatewayManagementApiClient(awsClientConfig(origin))),
      scaler: supervisor,
      clock: systemClock,
      config: configFromEnv(process.env),
    };
    const adminToken = await localAdminToken(dataDir, options.adminToken);
    await Auth.ensureToken(ctx, { name: "local admin", role: "admin", secret: adminToken });

    const app = createApp(ctx, {
      enrolmentTokenHash: hashSecret(enrolmentToken),
      wsUrl: (requestUrl) => {
        const url = new URL(WS_PATH, requestUrl);
        url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
        return url.toString();
      },
    });
    app.get("*", serveWeb());
    const gateway = attachWsGateway(server, { path: WS_PATH, handlers: wsHandlers(ctx) });
    stops.push(gateway.close);
    const rest = getRequestListener(app.fetch);
    server.on("request", (req, res) => {
      if (!gateway.handleManagementRequest(req, res)) void rest(req, res);
    });

    // The queue engine's memory may be new (fauxqs keeps none): resend every queued work order.
    const resent = await reconcile(ctx, { resendAfterMs: 0 });
    if (resent.resent) log(`Reconciler resent ${resent.resent} queued work order(s)`);
    const timer = setInterval(() => void tick(ctx), ctx.config.reaperIntervalMs);
    stops.push(async () => clearInterval(timer));

    // Stopped first: workers deregister and release their work while the API still answers.
    stops.push(supervisor.stop);
    if (existsSync(WORKER_ENTRY)) await supervisor.setDesired(options.workers);
    else if (options.workers > 0)
      log("No worker runtime in this build (workers/src/main.ts): no workers started");

    return { url: `${origin}/`, port, adminToken, ctx, sqs, stop };
  } catch (err) {
    await stop();
    throw err;
  }
};
