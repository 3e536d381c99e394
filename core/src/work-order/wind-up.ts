import * as Activity from "../activity/service.ts";
import { later } from "../after.ts";
import * as Chat from "../chat/service.ts";
import type { Ctx } from "../context.ts";
import type { ExecutionStatus } from "../db/enums.ts";
import type { TaskItem, WorkOrderItem } from "../db/index.ts";
import type { ExecutionReport } from "../execution/schema.ts";
import * as Execution from "../execution/service.ts";
import * as TaskState from "../task/state.ts";
import type { Removable, TaskChanges } from "../task/store.ts";
import * as Worker from "../worker/service.ts";

/** How the things hanging off a work order move on when it ends, is released or taken over. */
export interface WindUp {
  /**
   * The task's new state (or how to make it from the task): applied while the task is open and
   * still on this work order; `afterwards` follows with the task as changed.
   */
  task?: {
    changes: TaskChanges | ((task: TaskItem) => TaskChanges);
    remove?: Removable[];
    afterwards?: (task: TaskItem) => Promise<void>;
  };
  /** How its running execution (if any) ends, with what the worker reported; its session goes idle with it. */
  execution: { status: ExecutionStatus; output?: string; report?: ExecutionReport };
  /** Why the task's open questions close. */
  note: string;
  /**
   * The holder goes idle, unless it already holds other work. Not on a takeover: the lost
   * worker's record is its own business.
   */
  freeWorker: boolean;
  /** The timeline line, from the task's title. */
  activity?: (title: string) => { type: string; summary: string };
  /** The work order's message: deleted (ended) or kept (takeover). A release makes it visible itself. */
  deleteMessage: boolean;
}

/**
 * The one wind-up of everything attached to a work order: message, task, running execution
 * and its session, the holder's status, open questions. They are independent of each other,
 * so they all move at once; the timeline line follows without holding the caller.
 */
export const windUp = async (ctx: Ctx, wo: WorkOrderItem, plan: WindUp) => {
  await Promise.all([
    plan.deleteMessage &&
      wo.receiptHandle &&
      ctx.queue.delete(wo.priority, wo.receiptHandle).catch(() => {
        // A stale receipt: the message is deleted as a duplicate when it is next received.
      }),
    (async () => {
      const { task: taskPlan, activity } = plan;
      if (!taskPlan && !activity) return;
      const task = await TaskState.load(ctx, wo.taskId);
      if (taskPlan && task.currentWorkOrderId === wo.id) {
        const { changes, remove, afterwards } = taskPlan;
        const changed = await TaskState.changeIf(
          ctx,
          task,
          typeof changes === "function" ? changes(task) : changes,
          ["queued", "in_progress"],
          remove,
        );
        if (changed) await afterwards?.(changed);
      }
      if (activity)
        await later(ctx, () =>
          Activity.record(ctx, {
            ...activity(task.title),
            taskId: wo.taskId,
            ...(wo.workerId ? { workerId: wo.workerId } : {}),
          }),
        );
    })(),
    (async () => {
      const execution = await Execution.runningFor(ctx, wo.taskId, wo.id);
      const { status, output, report } = plan.execution;
      if (execution) await Execution.finish(ctx, execution, status, output, report);
    })(),
    plan.freeWorker && wo.workerId && wo.status === "claimed" && Worker.free(ctx, wo.workerId, wo.id),
    Chat.closeOpen(ctx, wo.taskId, plan.note),
  ]);
};
