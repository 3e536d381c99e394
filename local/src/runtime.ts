import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { controllerFromEnv } from "@agentvine/core/adapters/anthropic-controller";
import { fsBlob } from "@agentvine/core/adapters/fs-blob";
import { sqsClient, sqsQueue } from "@agentvine/core/adapters/sqs-queue";
import { sqsWebhookQueue } from "@agentvine/core/adapters/sqs-webhook-queue";
import { deferrals } from "@agentvine/core/after";
import * as Auth from "@agentvine/core/auth/service";
import { systemClock } from "@agentvine/core/clock";
import type { Ctx } from "@agentvine/core/context";
import { createDb } from "@agentvine/core/db/index";
import { hashSecret, newSecret } from "@agentvine/core/ids";
import * as Realtime from "@agentvine/core/realtime/service";
import { QUEUES, TABLE } from "@agentvine/core/resources";
import { Webhook } from "@agentvine/core/webhook/index";
import { WorkOrder } from "@agentvine/core/work-order/index";
import { createApp } from "@agentvine/functions/api/app";
import { MAX_BODY_BYTES } from "@agentvine/functions/api/errors";
import { configFromEnv } from "@agentvine/functions/env";
import { tick } from "@agentvine/functions/scheduled/tick";
import { wsHandlers } from "@agentvine/functions/ws/handlers";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { getRequestListener } from "@hono/node-server";
import { localAdminToken } from "./admin-token.ts";
import { awsClientConfig, awsClientEnv } from "./aws-local-config.ts";
import { withBufferedBody } from "./buffered-body.ts";
import { lockDataDir } from "./data-dir-lock.ts";
import { startDynamo } from "./engines/dynamodb.ts";
import { startSqs } from "./engines/sqs.ts";
import { openFrontDoor } from "./front-door.ts";
import type { Options } from "./options.ts";
import { provisionQueues, provisionTable, provisionWebhookQueue } from "./provision.ts";
import { type StartupHook, type StartupPart, startupTracker } from "./startup.ts";
import { SWAGGER_UI_BASE, serveSwaggerUi, serveWeb } from "./static-web.ts";
import { createSupervisor } from "./supervisor.ts";
import { startWebhookConsumer } from "./webhook-consumer.ts";
import { attachWsGateway, type WsGateway } from "./ws-gateway/index.ts";

export const WS_PATH = "/api/v1/chat/ws";
const WORKER_ENTRY = resolve(import.meta.dirname, "../../workers/src/main.ts");

/** Start-up hooks: for the front door's tests and the CLI's "listening" line. */
export interface RuntimeHooks {
  /** The port is open (start-up goes on behind it). */
  onListening?: (url: string) => void;
  /** Awaited before each start-up part counts as done. */
  beforeDone?: StartupHook;
}

/**
 * The whole system on one machine: engines, tables and queues from the shared definitions,
 * the REST app and WebSocket gateway on one port, the scheduled tick on a timer, and the
 * worker supervisor. The port opens first and answers 503 until the app is ready; returns once
 * everything answers; stop() leaves nothing running.
 */
export const startRuntime = async (
  options: Options,
  log: (msg: string) => void = console.log,
  hooks: RuntimeHooks = {},
) => {
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
  const dataDir = resolve(options.dataDir);
  // Parked runs' snapshots: the runtime and its worker processes share this one store.
  const blobDir = join(dataDir, "blobs");
  const lock = await lockDataDir(dataDir);
  stops.push(lock.release);
  try {
    const startup = startupTracker(hooks.beforeDone);
    const front = await openFrontDoor(options.port, options.host, startup.waiting);
    stops.push(front.close);
    const origin = front.origin;
    hooks.onListening?.(`${origin}/`);

    let dynamoEndpoint = options.endpoint;
    let sqsEndpoint = options.endpoint;
    if (!options.endpoint) {
      const dynamoDir = join(dataDir, "dynamodb");
      const started = async <T extends { stop(): Promise<void> }>(part: StartupPart, engine: Promise<T>) => {
        const running = await engine;
        stops.push(running.stop);
        await startup.done(part);
        return running;
      };
      // Settled, not all: an engine that started while the other failed must still be stopped.
      const [dynamo, sqs] = await Promise.allSettled([
        started("dynamodb", startDynamo({ dataDir: options.memory ? undefined : dynamoDir, log })),
        started("sqs", startSqs({})),
      ]);
      if (dynamo.status === "rejected") throw dynamo.reason;
      if (sqs.status === "rejected") throw sqs.reason;
      dynamoEndpoint = dynamo.value.endpoint;
      sqsEndpoint = sqs.value.endpoint;
      const kept = options.memory ? "in memory" : `data in ${dynamoDir}`;
      log(`DynamoDB: ${dynamo.value.kind} (${kept}); SQS: fauxqs (in memory)`);
    } else {
      await startup.done("dynamodb");
      await startup.done("sqs");
      log(`Using AWS_ENDPOINT_URL ${options.endpoint} for DynamoDB and SQS`);
    }
    // Closed before the engines stop: no request meets a half-stopped runtime.
    stops.push(front.close);
    const dynamo = new DynamoDBClient(awsClientConfig(dynamoEndpoint ?? ""));
    const sqs = sqsClient(awsClientConfig(sqsEndpoint ?? ""));
    const [, [queueUrls, webhookQueueUrl]] = await Promise.all([
      provisionTable(dynamo, TABLE.defaultName).then(() => startup.done("tables")),
      Promise.all([
        provisionQueues(sqs, QUEUES.defaultPrefix),
        provisionWebhookQueue(sqs, QUEUES.defaultPrefix),
      ]).then(async (urls) => {
        await startup.done("queues");
        return urls;
      }),
    ]);

    const enrolmentToken = options.enrolmentToken ?? newSecret("ave");
    const supervisor = createSupervisor({
      command: process.execPath,
      args: ["--import", "tsx", WORKER_ENTRY],
      dataRoot: join(dataDir, "workers"),
      env: {
        ...process.env,
        ...awsClientEnv(sqsEndpoint ?? ""),
        AGENTVINE_API_URL: origin,
        AGENTVINE_WORKER_ENROLMENT_TOKEN: enrolmentToken,
        AGENTVINE_QUEUE_URLS: JSON.stringify(queueUrls),
        AGENTVINE_BLOB_DIR: blobDir,
      },
      log,
      // What ECS's task-state-change rule does on AWS: a dead worker's task is queued again now.
      onExit: (runtimeId, how) =>
        void WorkOrder.runtimeGone(ctx, runtimeId, `its process ended (${how})`).then(
          (ids) =>
            ids.length && log(`Worker process ended (${how}); work order(s) ${ids.join(", ")} queued again`),
          (err: unknown) => log(`Could not release a lost worker's work: ${(err as Error).message}`),
        ),
    });

    // The WebSocket gateway, attached below once the app exists; core's pushes go to it.
    let gateway: WsGateway | undefined;
    // Events and timeline lines go out after each answer, in the background; drained on stop.
    const background = deferrals();
    stops.push(background.drain);
    const config = configFromEnv(process.env);
    const ctx: Ctx = {
      after: background.after,
      db: createDb(dynamo, TABLE.defaultName),
      queue: sqsQueue(sqs, queueUrls),
      // Straight to the in-process gateway below, not through its @connections HTTP API: a push
      // is a socket write, not a signed request to this same process. Nothing connects before it.
      push: { post: (connectionId, data) => gateway?.post(connectionId, data) ?? Promise.resolve("gone") },
      scaler: supervisor,
      blob: fsBlob(blobDir),
      clock: systemClock,
      // Links in webhook messages point at this runtime's web UI unless told otherwise.
      config: { ...config, publicUrl: config.publicUrl ?? origin },
      webhookQueue: sqsWebhookQueue(sqs, webhookQueueUrl),
    };
    // The gateway below is in-process: it makes every connection this table will hold.
    Realtime.ownConnections(ctx);
    const controller = controllerFromEnv(process.env, ctx.config);
    if (controller) ctx.controller = controller;
    const adminToken = await localAdminToken(dataDir, options.adminToken);
    await Promise.all([
      Auth.ensureToken(ctx, { name: "local admin", role: "admin", secret: adminToken }),
      Webhook.ensureFromEnv(ctx, {
        url: process.env.AGENTVINE_WEBHOOK_URL,
        secret: process.env.AGENTVINE_WEBHOOK_SECRET,
      }),
    ]);
    stops.push(startWebhookConsumer(ctx, sqs, webhookQueueUrl, log).stop);

    const app = createApp(ctx, {
      enrolmentTokenHash: hashSecret(enrolmentToken),
      wsUrl: (requestUrl) => {
        const url = new URL(WS_PATH, requestUrl);
        url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
        return url.toString();
      },
      swaggerUiBaseUrl: SWAGGER_UI_BASE,
    });
    app.get(`${SWAGGER_UI_BASE}/*`, serveSwaggerUi());
    app.get("*", serveWeb());
    const rest = withBufferedBody(getRequestListener(app.fetch), MAX_BODY_BYTES);
    await startup.done("api");
    const attached = attachWsGateway(front.server, { path: WS_PATH, handlers: wsHandlers(ctx) });
    gateway = attached;
    stops.push(attached.close);
    // Its @connections API stays served, as API Gateway's is (tests drop a socket through it).
    front.open((req, res) => {
      if (!attached.handleManagementRequest(req, res)) void rest(req, res);
    });

    // The queue engine's memory may be new (fauxqs keeps none): resend every queued work order.
    const resent = await WorkOrder.reconcile(ctx, { resendAfterMs: 0 });
    if (resent.resent) log(`Reconciler resent ${resent.resent} queued work order(s)`);
    // A tick still running when the runtime stops is waited for: the engines go after it.
    let ticking: Promise<unknown> = Promise.resolve();
    const timer = setInterval(() => {
      ticking = tick(ctx);
    }, ctx.config.reaperIntervalMs);
    stops.push(async () => {
      clearInterval(timer);
      await ticking;
    });

    // Stopped first: workers deregister and release their work while the API still answers.
    stops.push(supervisor.stop);
    if (existsSync(WORKER_ENTRY)) await supervisor.setDesired(options.workers);
    else if (options.workers > 0)
      log("No worker runtime in this build (workers/src/main.ts): no workers started");

    return { url: `${origin}/`, port: front.port, adminToken, ctx, sqs, stop };
  } catch (err) {
    await stop();
    throw err;
  }
};
