import { leaseSeconds } from "../config.ts";
import type { Ctx } from "../context.ts";
import { VisibleError } from "../errors.ts";
import * as Worker from "../worker/service.ts";
import * as Store from "./store.ts";

/** The claimer's work order, or 403/409: a worker acts only on work orders it holds. */
export const held = async (ctx: Ctx, workerId: string, workOrderId: string) => {
  const wo = await Store.load(ctx, workOrderId);
  if (wo.workerId !== workerId) {
    throw new VisibleError(
      "forbidden",
      "workOrder.not_yours",
      `Work order ${workOrderId} is not claimed by worker ${workerId}`,
    );
  }
  if (wo.status !== "claimed") {
    throw new VisibleError(
      "conflict",
      "workOrder.invalid_state",
      `Work order ${workOrderId} is ${wo.status}, not claimed`,
      { status: wo.status },
    );
  }
  return wo;
};

/** Extends the claim's lease and its message's invisibility; false when the claim was lost. */
export const renewLease = async (ctx: Ctx, workerId: string, workOrderId: string): Promise<boolean> => {
  const wo = await Store.renew(ctx, workOrderId, workerId);
  if (!wo) return false;
  if (wo.receiptHandle && wo.priority)
    await ctx.queue.setVisibility(wo.priority, wo.receiptHandle, leaseSeconds(ctx.config));
  return true;
};

/** A worker's heartbeat: it is seen alive, and the lease of the work order it holds renewed. */
export const heartbeat = async (ctx: Ctx, workerId: string, status?: "idle" | "error") => {
  const worker = await Worker.heartbeat(ctx, workerId, status);
  const leaseLost = worker.currentWorkOrderId
    ? !(await renewLease(ctx, workerId, worker.currentWorkOrderId))
    : false;
  return { worker: Worker.info(ctx, worker), leaseLost };
};
