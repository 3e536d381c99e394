/**
 * Webhook test support: the webhook queue on the test engines' fauxqs with the local runtime's
 * consumer loop delivering from it, and a local HTTP receiver that answers as told.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { sqsClient } from "@agentvine/core/adapters/sqs-queue";
import { sqsWebhookQueue } from "@agentvine/core/adapters/sqs-webhook-queue";
import type { Ctx } from "@agentvine/core/context";
import { awsClientConfig } from "@agentvine/local/aws-local-config";
import { provisionWebhookQueue } from "@agentvine/local/provision";
import { startWebhookConsumer } from "@agentvine/local/webhook-consumer";
import { inject } from "vitest";

/** A fresh webhook queue: its port for a Ctx, and a consumer loop to start with that Ctx. */
export const webhookQueue = async (name: string) => {
  const sqs = sqsClient(awsClientConfig(inject("sqsEndpoint")));
  const url = await provisionWebhookQueue(sqs, `${name}-${randomBytes(4).toString("hex")}`);
  return {
    port: sqsWebhookQueue(sqs, url),
    consume: (ctx: Ctx) => startWebhookConsumer(ctx, sqs, url, () => {}),
  };
};

export interface Received {
  headers: IncomingHttpHeaders;
  /** The raw body, as signed. */
  body: string;
  json: { id: string; type: string; createdAt: string; data: any; text: string };
  /** When it arrived (performance.now()), for the latency figure. */
  at: number;
}

/**
 * A receiver on 127.0.0.1. Each request is answered with the next of `statuses` (then 200),
 * once `gate` (when set) resolves; `next()` waits for the next request not yet taken.
 */
export const startReceiver = async () => {
  const received: Received[] = [];
  const waiting: ((r: Received) => void)[] = [];
  let taken = 0;
  const control = { statuses: [] as number[], gate: null as Promise<void> | null, answered: 0 };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const r = { headers: req.headers, body, json: JSON.parse(body), at: performance.now() };
      received.push(r);
      waiting.shift()?.(r);
      const status = control.statuses.shift() ?? 200;
      if (control.gate) await control.gate;
      res.writeHead(status).end();
      control.answered++;
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    port: (server.address() as AddressInfo).port,
    control,
    received,
    next: (): Promise<Received> => {
      const r = received[taken];
      taken++;
      return r ? Promise.resolve(r) : new Promise((resolve) => waiting.push(resolve));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
