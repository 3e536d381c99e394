import { PRIORITIES } from "@agentvine/core/resources";
import type { Template } from "aws-cdk-lib/assertions";
import { configFromEnv } from "../functions/src/env.ts";
import { workerConfig } from "../workers/src/config.ts";
import type { RuntimeSettings } from "./settings.ts";
import { functionEnvironments, resourcesOf, workerEnvironment } from "./synth.ts";

/**
 * Test support: the lease, heartbeat, retry, default agent and park settings as each deployed process parses them
 * from the environment the stacks give it, and the queues' visibility timeout. They must agree.
 */
export const runtimeViews = (templates: Record<string, Template>) => {
  const worker = workerEnvironment(templates);
  const parsed = workerConfig(worker);
  return {
    functions: Object.fromEntries(
      functionEnvironments(templates).map(({ handler, env }) => {
        const { leaseMs, heartbeatIntervalMs, maxRetries, defaultAgent, parkAfterMs, parkMaxMs } =
          configFromEnv(env);
        return [handler, { leaseMs, heartbeatIntervalMs, maxRetries, defaultAgent, parkAfterMs, parkMaxMs }];
      }),
    ),
    worker: {
      visibilitySeconds: parsed.visibilitySeconds,
      heartbeatIntervalMs: parsed.heartbeatIntervalMs,
      // The worker does not read it; it is there so that every process gets the same settings.
      maxRetries: Number(worker.AGENTVINE_MAX_RETRIES),
      // The worker parks after parkAfterMs, reading it as core does.
      parkAfterMs: configFromEnv(worker).parkAfterMs,
    },
    // The work queues': the webhook queue's visibility is its delivery Lambda's business.
    queueVisibilitySeconds: resourcesOf(templates, "AWS::SQS::Queue")
      .filter(([stack, , q]) => stack === "Queues" && q.Properties.RedrivePolicy)
      .map(([, , q]) => q.Properties.VisibilityTimeout as number),
  };
};

/** Every function the stacks deploy. */
export const HANDLERS = [
  "functions/src/lambda/http.handler",
  "functions/src/lambda/ws.connect",
  "functions/src/lambda/ws.disconnect",
  "functions/src/lambda/ws.message",
  "functions/src/lambda/scheduled.handler",
  "functions/src/lambda/worker-stopped.handler",
  "functions/src/lambda/webhook-delivery.handler",
];

/** What runtimeViews must return when every process got `runtime`. */
export const agreeingViews = (runtime: RuntimeSettings) => ({
  functions: Object.fromEntries(
    HANDLERS.map((handler) => [
      handler,
      {
        leaseMs: runtime.leaseMs,
        heartbeatIntervalMs: runtime.heartbeatIntervalMs,
        maxRetries: runtime.maxRetries,
        defaultAgent: runtime.defaultAgent,
        parkAfterMs: runtime.parkAfterMs,
        parkMaxMs: runtime.parkMaxMs,
      },
    ]),
  ),
  worker: {
    visibilitySeconds: runtime.visibilityTimeoutSeconds,
    heartbeatIntervalMs: runtime.heartbeatIntervalMs,
    maxRetries: runtime.maxRetries,
    parkAfterMs: runtime.parkAfterMs,
  },
  queueVisibilitySeconds: PRIORITIES.map(() => runtime.visibilityTimeoutSeconds),
});
