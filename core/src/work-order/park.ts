import * as Activity from "../activity/service.ts";
import { later } from "../after.ts";
import * as ChatStore from "../chat/store.ts";
import { iso } from "../clock.ts";
import type { Ctx } from "../context.ts";
import type { ExecutionItem, WorkOrderItem } from "../db/index.ts";
import { invalidField, VisibleError } from "../errors.ts";
import * as Execution from "../execution/service.ts";
import { sessionIdFor } from "../ids.ts";
import * as SessionState from "../session/state.ts";
import * as TaskState from "../task/state.ts";
import * as Worker from "../worker/service.ts";
import { resume } from "./resume.ts";
import { type ParkInput, toWorkOrderInfo, type WorkOrderInfo } from "./schema.ts";
import * as Store from "./store.ts";

const notHeld = (id: string, why: string) =>
  new VisibleError("conflict", "workOrder.invalid_state", `Work order ${id} cannot be parked: ${why}`);

/** The request must be one of the task's, still open (answered is fine: the run resumes at once). */
const checkRequest = async (ctx: Ctx, wo: WorkOrderItem, input: ParkInput) => {
  if (!input.snapshotKey.startsWith(`snapshots/${wo.taskId}/`)) {
    throw invalidField("snapshotKey", `must start with snapshots/${wo.taskId}/`);
  }
  const request = await ChatStore.loadMessage(ctx, wo.taskId, input.requestId);
  if (request?.messageType !== "request" || request.closedAt) {
    throw invalidField("requestId", `${input.requestId} is not an open request of task ${wo.taskId}`);
  }
};

/** The running execution of the holder's run, which parks with it. */
const runningExecution = async (ctx: Ctx, wo: WorkOrderItem): Promise<ExecutionItem> => {
  const execution = await Execution.runningFor(ctx, wo.taskId, wo.id);
  if (!execution) throw notHeld(wo.id, "it has no running execution (no session was opened for it)");
  return execution;
};

/**
 * Everything hanging off a parked work order moves with it: its message is deleted, its
 * execution (with the run's report so far) and session are parked, the task waits (no worker
 * holds it; it keeps naming the parked work order), the worker is free to claim other work.
 */
const settle = async (
  ctx: Ctx,
  wo: WorkOrderItem,
  execution: ExecutionItem,
  workerId: string,
  report: ParkInput["report"],
) => {
  const parkedAt = wo.park?.parkedAt ?? iso(ctx.clock.now());
  await Promise.all([
    wo.receiptHandle &&
      ctx.queue.delete(wo.priority, wo.receiptHandle).catch(() => {
        // A stale receipt: the message is deleted as a duplicate when it is next received.
      }),
    Execution.park(ctx, execution, report),
    SessionState.load(ctx, sessionIdFor(execution.sessionId)).then((s) =>
      SessionState.change(ctx, s, { status: "parked", parkedAt }),
    ),
    TaskState.load(ctx, wo.taskId).then(async (task) => {
      // Unless an answer has resumed the run already (the task names the resume's work order).
      if (task.currentWorkOrderId === wo.id)
        await TaskState.changeIf(ctx, task, { status: "waiting" }, ["in_progress"], ["workerId"]);
      await later(ctx, () =>
        Activity.record(ctx, {
          type: "task.parked",
          summary: `"${task.title}" parked until its request is answered`,
          taskId: task.id,
          workerId,
        }),
      );
    }),
    Worker.setStatus(ctx, workerId, "idle", null),
    // A run resumed once and parked again: the snapshot it resumed from is no longer needed.
    wo.resume && ctx.blob.delete(wo.resume.snapshotKey),
  ]);
};

/**
 * A worker parks the run of the work order it holds: its request has waited long enough and
 * its snapshot is stored. One conditional write decides (claimed by this worker -> parked);
 * then everything else follows. Should the request have been answered meanwhile, the run
 * resumes at once (the answer looked for a parked run before this one was).
 */
export const park = async (
  ctx: Ctx,
  workerId: string,
  input: ParkInput,
): Promise<{ workOrder: WorkOrderInfo; resumed: boolean }> => {
  const wo = await Store.load(ctx, input.workOrderId);
  if (wo.status !== "claimed" || wo.workerId !== workerId) {
    throw notHeld(wo.id, `it is ${wo.status}${wo.workerId === workerId ? "" : ", not held by this worker"}`);
  }
  const [, execution] = await Promise.all([checkRequest(ctx, wo, input), runningExecution(ctx, wo)]);
  const parked = await Store.park(ctx, wo, workerId, {
    parkedAt: iso(ctx.clock.now()),
    requestId: input.requestId,
    snapshotKey: input.snapshotKey,
    snapshotBytes: input.snapshotBytes,
    sessionId: execution.sessionId,
    executionId: execution.id,
  });
  if (!parked) throw notHeld(wo.id, "it changed meanwhile");
  await settle(ctx, parked, execution, workerId, input.report);
  const resumed = (await ChatStore.isOpen(ctx, input.requestId)) ? null : await resume(ctx, parked);
  return { workOrder: toWorkOrderInfo((await Store.get(ctx, wo.id)) ?? parked), resumed: resumed !== null };
};
