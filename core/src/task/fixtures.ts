/** Helpers of the task tests (imported by tests only). */
import { operator, workerActor } from "../../../test/context.ts";
import type { Ctx } from "../context.ts";
import type { QueuePort } from "../ports/queue.ts";
import * as Task from "./service.ts";

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

/** A registered worker, and a task an operator cancelled before anyone claimed it. */
export const cancelledTask = async (ctx: Ctx) => {
  const w = await workerActor(ctx);
  const task = await Task.create(ctx, { title: "t" }, operator.name);
  await Task.update(ctx, task.id, { status: "cancelled" }, operator.name);
  return { w, task };
};
