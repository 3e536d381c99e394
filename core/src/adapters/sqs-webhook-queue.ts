import { SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { WebhookQueuePort } from "../ports/webhook-queue.ts";

/** The webhook queue port on SQS (AWS, fauxqs, LocalStack). */
export const sqsWebhookQueue = (sqs: SQSClient, url: string): WebhookQueuePort => ({
  async send(message, delaySeconds = 0) {
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: url,
        MessageBody: JSON.stringify(message),
        DelaySeconds: delaySeconds,
      }),
    );
  },
});
