import { WEBHOOK_QUEUE } from "@agentvine/core/resources";
import { type IRole, PolicyStatement, type Role } from "aws-cdk-lib/aws-iam";
import { SqsEventSource } from "aws-cdk-lib/aws-lambda-event-sources";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import { Function as SstFunction, type StackContext, use } from "sst/constructs";
import { functionEnvironment, lambdaRole, tableStatement } from "./access.ts";
import { logGroup } from "./logs.ts";
import { Queues, queueWithDlq } from "./queues.ts";
import { Realtime } from "./realtime.ts";
import { settings } from "./settings.ts";
import { Snapshots } from "./snapshots.ts";
import { Storage } from "./storage.ts";
import { WebHosting } from "./web.ts";

/** What a function that raises webhook events holds: sending to the webhook queue, and its URL. */
export const allowWebhookEvents = (role: Role, queue: IQueue) =>
  role.addToPolicy(new PolicyStatement({ actions: ["sqs:SendMessage"], resources: [queue.queueArn] }));
export const webhookEnvironment = (queue: IQueue) => ({ AGENTVINE_WEBHOOK_QUEUE_URL: queue.queueUrl });

/**
 * The webhook queue (core/src/resources.ts) and the Lambda it feeds: the delivery handler POSTs
 * each event, records the attempt, and queues its own retries on the same queue. Links in the
 * messages point at the stage's web UI.
 */
export function Webhooks({ stack, app }: StackContext) {
  const { table } = use(Storage);
  const { queues } = use(Queues);
  const { ws } = use(Realtime);
  const { bucket: snapshots } = use(Snapshots);
  const { origin } = use(WebHosting);
  const prefix = `${app.stage}-${app.name}`;
  const { main: queue } = queueWithDlq(stack, "webhooks", {
    ...WEBHOOK_QUEUE,
    name: WEBHOOK_QUEUE.name(prefix),
    dlqName: WEBHOOK_QUEUE.dlqName(prefix),
  });
  const logs = logGroup(stack, "WebhookDeliveryLogs");
  const role: IRole = lambdaRole(stack, "WebhookDeliveryRole", [logs], (r) => {
    r.addToPolicy(tableStatement(table));
    // Its event source receives and deletes; the handler sends the retries.
    r.addToPolicy(
      new PolicyStatement({
        actions: [
          "sqs:ChangeMessageVisibility",
          "sqs:DeleteMessage",
          "sqs:GetQueueAttributes",
          "sqs:ReceiveMessage",
        ],
        resources: [queue.queueArn],
      }),
    );
    allowWebhookEvents(r, queue);
  });
  const delivery = new SstFunction(stack, "WebhookDelivery", {
    handler: "functions/src/lambda/webhook-delivery.handler",
    role,
    logGroup: logs,
    // Below the queue's visibility timeout, as SQS event sources require.
    timeout: "30 seconds",
    environment: {
      ...functionEnvironment(stack, { table, queues, ws, snapshots }, settings(app).runtime),
      ...webhookEnvironment(queue),
      AGENTVINE_PUBLIC_URL: origin,
    },
  });
  delivery.addEventSource(new SqsEventSource(queue, { batchSize: 10, reportBatchItemFailures: true }));
  return { webhookQueue: queue, delivery };
}
