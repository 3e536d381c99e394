import type { WebhookMessage } from "../webhook/message.ts";

/** Where webhook messages go to be delivered: the webhook SQS queue (on AWS and locally). */
export interface WebhookQueuePort {
  /** `delaySeconds`: hidden that long first (a retry's backoff; SQS allows up to 900). */
  send(message: WebhookMessage, delaySeconds?: number): Promise<void>;
}
