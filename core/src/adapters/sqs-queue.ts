import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
  type SQSClientConfig,
} from "@aws-sdk/client-sqs";
import type { QueueDepth, QueuePort, ReceivedMessage, WorkOrderMessage } from "../ports/queue.ts";
import { PRIORITIES, type Priority, type QueueUrls } from "../resources.ts";

/**
 * An SQS client that sends every call to its configured endpoint. Emulators (fauxqs,
 * LocalStack) hand out queue URLs on hosts that may not resolve; on AWS both are the same.
 */
export const sqsClient = (config: SQSClientConfig = {}) =>
  new SQSClient({ useQueueUrlAsEndpoint: false, ...config });

/** The queue port on SQS (AWS, fauxqs, LocalStack). */
export const sqsQueue = (sqs: SQSClient, urls: QueueUrls): QueuePort => {
  const receiveFrom = async (
    url: string,
    priority: Priority,
    options: { waitSeconds: number; visibilitySeconds?: number; max?: number },
  ): Promise<ReceivedMessage[]> => {
    const out = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: options.max ?? 1,
        WaitTimeSeconds: options.waitSeconds,
        VisibilityTimeout: options.visibilitySeconds,
        MessageSystemAttributeNames: ["ApproximateReceiveCount"],
      }),
    );
    return (out.Messages ?? []).map((m) => ({
      priority,
      body: JSON.parse(m.Body ?? "{}") as WorkOrderMessage,
      receiptHandle: m.ReceiptHandle ?? "",
      receiveCount: Number(m.Attributes?.ApproximateReceiveCount ?? 1),
    }));
  };

  const attributes = async (url: string) => {
    const out = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: url,
        AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
      }),
    );
    return {
      visible: Number(out.Attributes?.ApproximateNumberOfMessages ?? 0),
      inFlight: Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0),
    };
  };

  return {
    async send(priority, message) {
      await sqs.send(
        new SendMessageCommand({ QueueUrl: urls[priority].url, MessageBody: JSON.stringify(message) }),
      );
    },
    receive: (priority, options) => receiveFrom(urls[priority].url, priority, options),
    async delete(priority, receiptHandle) {
      await sqs.send(
        new DeleteMessageCommand({ QueueUrl: urls[priority].url, ReceiptHandle: receiptHandle }),
      );
    },
    async setVisibility(priority, receiptHandle, seconds) {
      try {
        await sqs.send(
          new ChangeMessageVisibilityCommand({
            QueueUrl: urls[priority].url,
            ReceiptHandle: receiptHandle,
            VisibilityTimeout: seconds,
          }),
        );
        return true;
      } catch (err) {
        // The message was deleted or its receipt superseded by a newer delivery.
        if (/MessageNotInflight|ReceiptHandleIsInvalid|InvalidParameterValue/.test((err as Error).name))
          return false;
        throw err;
      }
    },
    async depth() {
      const entries = await Promise.all(
        PRIORITIES.map(async (p): Promise<[Priority, QueueDepth]> => {
          const [main, dlq] = await Promise.all([attributes(urls[p].url), attributes(urls[p].dlqUrl)]);
          return [p, { ...main, dead: dlq.visible + dlq.inFlight }];
        }),
      );
      return Object.fromEntries(entries) as Record<Priority, QueueDepth>;
    },
    receiveDead: (priority, max) => receiveFrom(urls[priority].dlqUrl, priority, { waitSeconds: 0, max }),
    async deleteDead(priority, receiptHandle) {
      await sqs.send(
        new DeleteMessageCommand({ QueueUrl: urls[priority].dlqUrl, ReceiptHandle: receiptHandle }),
      );
    },
  };
};
