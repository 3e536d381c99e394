import * as Activity from "../activity/service.ts";
import { later } from "../after.ts";
import type { Ctx } from "../context.ts";
import type { WorkOrderItem } from "../db/index.ts";
import { newId } from "../ids.ts";
import * as TaskState from "../task/state.ts";
import { send } from "./enqueue.ts";
import * as Store from "./store.ts";

/**
 * Resumes a parked run: a new work order on the high queue (a person is waiting for the
 * result) that names the parked one, its session and snapshot. Marking the parked work order
 * decides, so an answer and a park completing at once make exactly one resume; the task then
 * moves waiting -> queued (conditionally: a cancel or an expiry that came first wins). Not a
 * retry: the new work order starts at retryCount 0. Null when nothing was resumed.
 */
export const resume = async (ctx: Ctx, parked: WorkOrderItem): Promise<WorkOrderItem | null> => {
  const { park } = parked;
  if (parked.status !== "parked" || !park || park.resumedBy) return null;
  const id = newId();
  if (!(await Store.markResumed(ctx, parked, id))) return null;
  // The task names its new work order before the message goes out, so a claimer finds it ready.
  const task = await TaskState.load(ctx, parked.taskId);
  // From in_progress too: an answer may resume the run before the park has moved the task on.
  const queued = await TaskState.changeIf(ctx, task, { status: "queued", currentWorkOrderId: id }, [
    "waiting",
    "in_progress",
  ]);
  if (!queued) return null;
  const wo = await Store.insert(ctx, {
    id,
    taskId: parked.taskId,
    taskCreatedAt: task.createdAt,
    priority: "high",
    resume: {
      fromWorkOrderId: parked.id,
      sessionId: park.sessionId,
      snapshotKey: park.snapshotKey,
      requestId: park.requestId,
    },
  });
  await send(ctx, wo);
  await later(ctx, () =>
    Activity.record(ctx, {
      type: "task.resumed",
      summary: `"${task.title}" resumed: its request was answered`,
      taskId: task.id,
    }),
  );
  return wo;
};

/**
 * After an answer to `requestId` of a task: the task's run, if parked on that request, resumes.
 * The work order is read strongly: the park writes before it looks for the answer, the answer
 * before it looks for the park, so at least one of them sees the other.
 */
export const resumeAnswered = async (ctx: Ctx, workOrderId: string | undefined, requestId: string) => {
  const wo = workOrderId ? await Store.getConsistent(ctx, workOrderId) : null;
  if (wo?.park?.requestId !== requestId) return null;
  return resume(ctx, wo);
};
