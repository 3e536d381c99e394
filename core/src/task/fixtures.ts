/** Helpers of the task tests (imported by tests only). */
import type { Ctx } from "../context.ts";
import type { QueuePort } from "../ports/queue.ts";

/** The task's work orders, oldest first. */
export const workOrdersOf = async (ctx: Ctx, taskId: string) =>
  (await ctx.db.workOrder.query.byTask({ taskId }).go({ pages: "all" })).data;

/** A queue port that runs `after` once right after each send (a fast worker on the other end). */
export const withAfterSend = (queue: QueuePort, after: () => Promise<void>): QueuePort => ({
  ...queue,
  async send(priority, message) {
    await queue.send(priority, message);
    await after();
  },
});
