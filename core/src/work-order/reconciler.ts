import type { Ctx } from "../context.ts";
import type { WorkOrderItem } from "../db/index.ts";
import { PRIORITIES } from "../resources.ts";
import { finish } from "./end.ts";
import { messageOf } from "./enqueue.ts";
import * as Store from "./store.ts";

const resend = async (ctx: Ctx, wo: WorkOrderItem) => {
  // Marked first (conditionally on the state seen), so two reconcilers do not both resend.
  if (!(await Store.markSent(ctx, wo))) return false;
  await ctx.queue.send(wo.priority, messageOf(wo));
  return true;
};

/**
 * Makes SQS agree with DynamoDB. A queued work order whose message was last sent longer ago
 * than `resendAfterMs` gets it again (a failed SendMessage; a local queue engine's lost memory),
 * as does a claimed one whose lease ran out that long ago (its message was deleted as a
 * duplicate). Duplicates this makes are harmless: the claim is a conditional write. Messages in
 * the dead-letter queues fail their work order and task with the reason.
 */
export const reconcile = async (ctx: Ctx, options: { resendAfterMs?: number } = {}) => {
  const cutoff = ctx.clock.now() - (options.resendAfterMs ?? ctx.config.resendAfterMs);
  let resent = 0;
  let deadLettered = 0;

  const [queued, claimed] = await Promise.all([
    Store.byStatus(ctx, "queued"),
    Store.byStatus(ctx, "claimed"),
  ]);
  const due = [
    ...queued.filter((wo) => wo.sentAt <= cutoff),
    ...claimed.filter((wo) => (wo.leaseExpiresAt ?? 0) <= cutoff && wo.sentAt <= cutoff),
  ];
  for (const wo of due) if (await resend(ctx, wo)) resent++;

  for (const priority of PRIORITIES) {
    for (;;) {
      const messages = await ctx.queue.receiveDead(priority, 10);
      if (messages.length === 0) break;
      for (const msg of messages) {
        const wo = await Store.get(ctx, msg.body.workOrderId);
        if (wo && (wo.status === "queued" || wo.status === "claimed")) {
          // False: it ended meanwhile, which is as good.
          await finish(ctx, wo, {
            status: "failed",
            reason: `Moved to the dead-letter queue after ${msg.receiveCount} deliveries`,
          });
          deadLettered++;
        }
        await ctx.queue.deleteDead(priority, msg.receiptHandle);
      }
    }
  }
  return { resent, deadLettered };
};
