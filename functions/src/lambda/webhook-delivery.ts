import { log } from "@agentvine/core/log";
import { Webhook } from "@agentvine/core/webhook/index";
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { awsContext } from "../aws-context.ts";

const { ctx, ready } = awsContext();

/**
 * The webhook queue's event source: each message goes to the delivery handler, which records
 * every attempt and queues its own retries. One that threw (the table or the queue failed) is
 * reported back alone, and SQS delivers it again after its visibility timeout.
 */
export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  await ready;
  const failed = await Promise.all(
    event.Records.map(async (record) => {
      try {
        // In Lambda: never a link-local or metadata address (this function's own credentials live there).
        await Webhook.handle(ctx, record.body, { refuseInternal: true });
        return null;
      } catch (err) {
        log.error({ err, messageId: record.messageId }, "webhook delivery failed");
        return { itemIdentifier: record.messageId };
      }
    }),
  );
  return { batchItemFailures: failed.filter((f) => f !== null) };
};
