/**
 * The state the claim, lease, release and execution tests start from, built through core's own
 * functions on a test context.
 */

import type { Actor, Ctx } from "@agentvine/core/context";
import * as Session from "@agentvine/core/session/service";
import * as Task from "@agentvine/core/task/service";
import { WorkOrder } from "@agentvine/core/work-order/index";
import { operator, workerActor } from "./context.ts";

/**
 * Two registered workers and one task whose work order `a` has claimed: `b` is the other
 * worker, the one that must not, or later may, take it. Pass `a` for a worker registered some
 * other way.
 */
export const claimedByA = async (ctx: Ctx, a?: Actor) => {
  const holder = a ?? (await workerActor(ctx, "a"));
  const b = await workerActor(ctx, "b");
  const task = await Task.create(ctx, { title: "t" }, operator.name);
  const wo = (await WorkOrder.claimNext(ctx, holder.principalId))!;
  return { a: holder, b, task, wo };
};

/** A worker that holds a freshly created task. */
export const holding = async (ctx: Ctx, name = "w") => {
  const worker = await workerActor(ctx, name);
  const task = await Task.create(ctx, { title: `task of ${name}` }, operator.name);
  const wo = await WorkOrder.claimNext(ctx, worker.principalId);
  if (wo?.taskId !== task.id) throw new Error(`${name} did not claim its task`);
  return { worker, task, wo };
};

/** The agent session `worker` opens on the task it holds, which starts the task's execution. */
export const openSession = (ctx: Ctx, worker: Actor, taskId: string, sessionId = "sa") =>
  Session.create(ctx, worker, { sessionId, workerId: worker.principalId, taskId });
