/**
 * A parked run built through core's own functions: a worker holds a task, opens its session,
 * asks, stores a snapshot in the context's blob store and parks.
 */

import * as Chat from "@agentvine/core/chat/service";
import type { Actor, Ctx } from "@agentvine/core/context";
import { WorkOrder } from "@agentvine/core/work-order/index";
import { operator } from "./context.ts";
import { holding, openSession } from "./work-order-fixtures.ts";

/** A task whose worker has asked and opened its session: everything a park needs but the park. */
export const asking = async (ctx: Ctx, name = "a") => {
  const { worker, task, wo } = await holding(ctx, name);
  const session = await openSession(ctx, worker, task.id, `session-of-${name}`);
  const request = await Chat.ask(ctx, worker, { conversationId: task.id, message: "Which database?" });
  const snapshotKey = `snapshots/${task.id}/${wo.id}`;
  await ctx.blob.put(snapshotKey, new TextEncoder().encode("agent state"));
  const parkInput = {
    workOrderId: wo.id,
    requestId: request.id,
    snapshotKey,
    snapshotBytes: 11,
    report: { inputTokens: 200, outputTokens: 40, turns: 2, transcript: "I need to ask." },
  };
  return { worker, task, wo, session, request, snapshotKey, parkInput };
};

export const parked = async (ctx: Ctx, name = "a") => {
  const run = await asking(ctx, name);
  const result = await WorkOrder.park(ctx, run.worker.principalId, run.parkInput);
  return { ...run, result };
};

/** A person answers the run's request. */
export const answer = (
  ctx: Ctx,
  run: { task: { id: string }; request: { id: string } },
  by: Actor = operator,
) =>
  Chat.answer(ctx, by, {
    conversationId: run.task.id,
    message: "PostgreSQL",
    parentMessageId: run.request.id,
  });
