import { log, withLogFields } from "@agentvine/core/log";
import { WorkOrder } from "@agentvine/core/work-order/index";
import { z } from "zod";
import { awsContext } from "../aws-context.ts";

const { ctx } = awsContext();

/** The part of EventBridge's "ECS Task State Change" event this needs. */
const TaskStopped = z.object({
  detail: z.object({
    taskArn: z.string().min(1),
    lastStatus: z.string(),
    stoppedReason: z.string().optional(),
  }),
});

/**
 * ECS reports a worker's task stopped (crash, out of memory, kill, scale-in). Its work goes back
 * to the queue now rather than after the lease; a worker that stopped cleanly has already
 * released its work and deregistered, so nothing is left to do for it.
 */
export const handler = async (event: unknown) => {
  const { detail } = TaskStopped.parse(event);
  if (detail.lastStatus !== "STOPPED") return { released: [] };
  const reason = `its ECS task stopped${detail.stoppedReason ? `: ${detail.stoppedReason}` : ""}`;
  const released = await withLogFields({}, () => WorkOrder.runtimeGone(ctx, detail.taskArn, reason));
  log.info({ taskArn: detail.taskArn, released }, "worker task stopped");
  return { released };
};
