import * as Activity from "../activity/service.ts";
import { later } from "../after.ts";
import type { Ctx } from "../context.ts";
import * as Worker from "../worker/service.ts";
import * as WorkerStore from "../worker/store.ts";
import { redeliver } from "./enqueue.ts";
import * as Store from "./store.ts";
import { windUp } from "./wind-up.ts";

/**
 * A worker's process or ECS task is known to be gone (the local supervisor saw it exit; ECS
 * reported its task stopped): its work goes back to the queue now instead of after the lease.
 * The lease is ended rather than the claim undone, so the next delivery is an ordinary takeover
 * (retryCount + 1, the retry limit applies) and a worker that was not gone after all loses its
 * claim the usual way. The worker is deregistered: a replacement registers afresh. Returns the
 * ids of the work orders given back.
 */
export const runtimeGone = async (ctx: Ctx, runtimeId: string, reason: string): Promise<string[]> => {
  const workers = await WorkerStore.byRuntimeId(ctx, runtimeId);
  const released = await Promise.all(
    workers.map(async (worker) => {
      const wo = worker.currentWorkOrderId ? await Store.get(ctx, worker.currentWorkOrderId) : null;
      const held = wo?.status === "claimed" && wo.workerId === worker.id ? wo : null;
      if (held && (await Store.expireLease(ctx, held, worker.id))) {
        await windUp(ctx, held, {
          task: { changes: { status: "queued" }, remove: ["workerId"] },
          execution: { status: "failed", output: `The worker was lost: ${reason}` },
          note: `The worker was lost (${reason}); the task was queued again`,
          freeWorker: false,
          deleteMessage: false,
        });
        await redeliver(ctx, held);
        await later(ctx, () =>
          Activity.record(ctx, {
            type: "task.released",
            summary: `Worker ${worker.name} was lost (${reason}); its task was queued again`,
            taskId: held.taskId,
            workerId: worker.id,
          }),
        );
      }
      await Worker.deregister(ctx, worker.id).catch(() => {
        // Deregistered meanwhile (it stopped cleanly after all): nothing left to do.
      });
      return held?.id;
    }),
  );
  return released.filter((id): id is string => id !== undefined);
};
