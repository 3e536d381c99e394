import type { Ctx } from "@agentvine/core/context";
import { WEBHOOK_QUEUE } from "@agentvine/core/resources";
import { Webhook } from "@agentvine/core/webhook/index";
import {
  DeleteMessageCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";

/**
 * What the delivery Lambda's SQS event source does on AWS: long-polls the webhook queue and hands
 * each message to the same handler, deleting it once handled. A message whose handling threw
 * stays and comes back after its visibility timeout. Messages are handled side by side, so a
 * slow receiver holds up no other delivery. stop() ends the poll and waits for what is in hand.
 */
export const startWebhookConsumer = (
  ctx: Ctx,
  sqs: SQSClient,
  queueUrl: string,
  log: (msg: string) => void,
) => {
  const abort = new AbortController();
  const inHand = new Set<Promise<void>>();

  const handle = async (m: Message) => {
    try {
      await Webhook.handle(ctx, m.Body ?? "");
      await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle }));
    } catch (err) {
      log(`Webhook delivery failed, retried after the visibility timeout: ${(err as Error).message}`);
    }
  };

  const poll = async () => {
    while (!abort.signal.aborted) {
      try {
        const { Messages = [] } = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: WEBHOOK_QUEUE.receiveWaitSeconds,
          }),
          { abortSignal: abort.signal },
        );
        for (const m of Messages) {
          const work = handle(m);
          inHand.add(work);
          void work.finally(() => inHand.delete(work));
        }
      } catch (err) {
        if (abort.signal.aborted) break;
        log(`Webhook queue poll failed: ${(err as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  };
  const polling = poll();

  return {
    stop: async () => {
      abort.abort();
      await polling;
      await Promise.all([...inHand]);
    },
  };
};
