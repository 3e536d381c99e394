import { Rule } from "aws-cdk-lib/aws-events";
import { LambdaFunction } from "aws-cdk-lib/aws-events-targets";
import { Cron, Function as SstFunction, type StackContext, use } from "sst/constructs";
import { allowTableQueuesAndSockets, functionEnvironment, lambdaRole, QUEUE_ACCESS } from "./access.ts";
import { logGroup } from "./logs.ts";
import { Queues } from "./queues.ts";
import { Realtime } from "./realtime.ts";
import { settings } from "./settings.ts";
import { Snapshots } from "./snapshots.ts";
import { Storage } from "./storage.ts";
import { allowWebhookEvents, Webhooks, webhookEnvironment } from "./webhooks.ts";
import { Workers } from "./workers.ts";

/**
 * EventBridge, every minute: the session reaper, offline detection, the queue reconciler, stats.
 * And on ECS's word that a worker task stopped: its work is queued again at once (the lease
 * stays the backstop).
 */
export function Schedule({ stack, app }: StackContext) {
  const { table } = use(Storage);
  const { queues } = use(Queues);
  const { ws } = use(Realtime);
  const { bucket: snapshots } = use(Snapshots);
  const resources = { table, queues, ws, snapshots };
  const { cluster } = use(Workers);
  const { webhookQueue } = use(Webhooks);
  const logs = logGroup(stack, "ScheduledLogs");
  const stoppedLogs = logGroup(stack, "WorkerStoppedLogs");
  // Ending tasks (the reaper, the reconciler's dead letters) raises webhook events.
  const role = lambdaRole(stack, "ScheduledRole", [logs, stoppedLogs], (r) => {
    allowTableQueuesAndSockets(r, resources, QUEUE_ACCESS.scheduled);
    allowWebhookEvents(r, webhookQueue);
  });
  const environment = {
    ...functionEnvironment(stack, resources, settings(app).runtime),
    ...webhookEnvironment(webhookQueue),
  };
  const tick = new Cron(stack, "Tick", {
    schedule: "rate(1 minute)",
    job: {
      function: {
        handler: "functions/src/lambda/scheduled.handler",
        role,
        logGroup: logs,
        // Finish before the next tick starts.
        timeout: "55 seconds",
        environment,
      },
    },
  });
  const workerStopped = new SstFunction(stack, "WorkerStopped", {
    handler: "functions/src/lambda/worker-stopped.handler",
    role,
    logGroup: stoppedLogs,
    timeout: "30 seconds",
    environment,
  });
  new Rule(stack, "WorkerStoppedRule", {
    description: "A worker's ECS task stopped: queue its work again at once",
    eventPattern: {
      source: ["aws.ecs"],
      detailType: ["ECS Task State Change"],
      detail: { clusterArn: [cluster.clusterArn], lastStatus: ["STOPPED"] },
    },
    targets: [new LambdaFunction(workerStopped)],
  });
  return { tick, workerStopped };
}
