/** Test fixtures for the chat tests (imported by tests only). */
import { operator, type TestCtx, workerActor } from "../../../test/context.ts";
import * as Task from "../task/service.ts";
import { WorkOrder as Queue } from "../work-order/index.ts";

export const workerStatus = async (ctx: TestCtx, id: string) =>
  (await ctx.db.worker.get({ id }).go()).data?.status;

/** A worker that holds a freshly created task. */
export const holding = async (ctx: TestCtx, name = "w") => {
  const worker = await workerActor(ctx, name);
  const task = await Task.create(ctx, { title: `task of ${name}` }, operator.name);
  const wo = await Queue.claimNext(ctx, worker.principalId);
  if (wo?.taskId !== task.id) throw new Error(`${name} did not claim its task`);
  return { worker, task, wo };
};
