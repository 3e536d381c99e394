import type { Ctx } from "@agentvine/core/context";
import { log } from "@agentvine/core/log";
import * as Session from "@agentvine/core/session/service";
import { WorkOrder } from "@agentvine/core/work-order/index";
import * as Worker from "@agentvine/core/worker/service";

/**
 * What the EventBridge schedule runs every minute (a timer locally): the session reaper,
 * the expiry of runs parked too long, offline detection, the queue reconciler, and a queue.stats push for the dashboards.
 * Each step runs even if an earlier one failed.
 */
export const tick = async (ctx: Ctx) => {
  const steps = {
    reaped: () => Session.reap(ctx).then((ids) => ids.length),
    parkExpired: () => WorkOrder.expireParked(ctx),
    offline: () => Worker.markOffline(ctx),
    reconciled: () => WorkOrder.reconcile(ctx),
    stats: () => WorkOrder.publishStats(ctx).then(() => true),
  };
  const results: Record<string, unknown> = {};
  for (const [name, run] of Object.entries(steps)) {
    try {
      results[name] = await run();
    } catch (err) {
      log.error({ err, step: name }, "scheduled step failed");
      results[name] = { error: (err as Error).message };
    }
  }
  return results;
};
