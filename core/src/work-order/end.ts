import { later } from "../after.ts";
import { iso } from "../clock.ts";
import type { Ctx } from "../context.ts";
import type { TaskStatus } from "../db/enums.ts";
import type { WorkOrderItem } from "../db/index.ts";
import { VisibleError } from "../errors.ts";
import type { ExecutionReport } from "../execution/schema.ts";
import { suspicionOf } from "../task/suspicion.ts";
import * as Webhook from "../webhook/notify.ts";
import { redeliver } from "./enqueue.ts";
import { closeParkedRun } from "./expire.ts";
import { held } from "./lease.ts";
import { type CompleteInput, type FailInput, toWorkOrderInfo } from "./schema.ts";
import * as Store from "./store.ts";
import { windUp } from "./wind-up.ts";

export interface Outcome {
  status: "completed" | "failed";
  reason?: string;
  output?: string;
  /** What the worker's agent reported: written onto the execution with its end. */
  report?: ExecutionReport;
  /** The task's own end state when it differs from the work order's (a cancel). */
  taskStatus?: Extract<TaskStatus, "cancelled">;
}

const dollars = new Intl.NumberFormat("en-US", {
  style: "currency",
  currency: "USD",
  maximumFractionDigits: 4,
});

/** " ($0.0123, 4,567 tokens)": what the run cost, as far as the report says. */
const usage = (report: ExecutionReport | undefined) => {
  const tokens =
    report?.inputTokens === undefined && report?.outputTokens === undefined
      ? null
      : (report.inputTokens ?? 0) + (report.outputTokens ?? 0);
  const parts = [
    report?.costUsd === undefined ? null : dollars.format(report.costUsd),
    tokens === null ? null : `${tokens.toLocaleString("en-US")} tokens`,
  ].filter(Boolean);
  return parts.length ? ` (${parts.join(", ")})` : "";
};

const changedMeanwhile = (wo: WorkOrderItem) =>
  new VisibleError("conflict", "workOrder.invalid_state", `Work order ${wo.id} changed meanwhile`);

/**
 * Ends a work order and everything hanging off it. The work order's write is conditional on
 * the state read, so two endings cannot both happen: null when another one came first.
 */
const end = async (ctx: Ctx, wo: WorkOrderItem, outcome: Outcome): Promise<WorkOrderItem | null> => {
  const ended = await Store.end(ctx, wo, outcome.status, outcome.reason);
  if (!ended) return null;
  const ending = outcome.taskStatus ?? outcome.status;
  const why = outcome.reason ? `: ${outcome.reason}` : "";
  await windUp(ctx, wo, {
    task: {
      changes: (task) => {
        const suspicious =
          ending === "completed" ? suspicionOf(task.agent, outcome.output, outcome.report) : null;
        return {
          status: ending,
          completedAt: iso(ctx.clock.now()),
          ...(outcome.reason ? { failureReason: outcome.reason } : {}),
          ...(suspicious ? { suspicious } : {}),
        };
      },
      // The webhooks are told without holding the answer.
      afterwards: (task) => later(ctx, () => Webhook.taskEnded(ctx, task)),
    },
    execution: {
      status: outcome.status,
      ...(outcome.output !== undefined ? { output: outcome.output } : {}),
      ...(outcome.report ? { report: outcome.report } : {}),
    },
    note: `The task ${ending}${why}`,
    freeWorker: true,
    activity: (title) => ({
      type: `task.${ending}`,
      summary: `"${title}" ${ending}${usage(outcome.report)}${why}`,
    }),
    deleteMessage: true,
  });
  // A resume's run is over: the snapshot it resumed from goes, and, had no worker taken it up
  // yet (cancelled, dead-lettered), the parked session with it.
  if (wo.resume) {
    if (wo.status === "queued") await closeParkedRun(ctx, wo.resume, outcome.reason ?? `The task ${ending}`);
    else await ctx.blob.delete(wo.resume.snapshotKey);
  }
  return ended;
};

/** Ends a work order (see `end`): false when another ending came first. */
export const finish = async (ctx: Ctx, wo: WorkOrderItem, outcome: Outcome) =>
  (await end(ctx, wo, outcome)) !== null;

/** The holder's own ending; a conflict when the work order changed since it was read. */
const finishHeld = async (ctx: Ctx, workerId: string, workOrderId: string, outcome: Outcome) => {
  const wo = await held(ctx, workerId, workOrderId);
  const ended = await end(ctx, wo, outcome);
  if (!ended) throw changedMeanwhile(wo);
  return toWorkOrderInfo(ended);
};

export const complete = async (ctx: Ctx, workerId: string, input: CompleteInput) =>
  finishHeld(ctx, workerId, input.workOrderId, {
    status: "completed",
    ...(input.output !== undefined ? { output: input.output } : {}),
    ...(input.report ? { report: input.report } : {}),
  });

/** An explicit failure is final for this work order: a person decides whether to re-enqueue. */
export const fail = async (ctx: Ctx, workerId: string, input: FailInput) =>
  finishHeld(ctx, workerId, input.workOrderId, {
    status: "failed",
    reason: input.reason,
    ...(input.report ? { report: input.report } : {}),
  });

/**
 * Gives a claimed work order back to the queue untouched (a worker stopping on SIGTERM): it
 * is queued again at once, without counting as a retry.
 */
export const release = async (ctx: Ctx, workerId: string, workOrderId: string) => {
  const wo = await held(ctx, workerId, workOrderId);
  if (!(await Store.requeue(ctx, wo, workerId))) throw changedMeanwhile(wo);
  // Everything of this worker's is wound up before the message is visible again: a claimer
  // taking it at once must not have its task re-queued or its new execution failed by us.
  await windUp(ctx, wo, {
    task: { changes: { status: "queued" }, remove: ["workerId"] },
    execution: { status: "failed", output: "Released: the worker stopped before finishing" },
    note: "The worker stopped; the task was queued again",
    freeWorker: true,
    activity: (title) => ({ type: "task.released", summary: `"${title}" released back to the queue` }),
    deleteMessage: false,
  });
  await redeliver(ctx, wo);
  return toWorkOrderInfo(await Store.load(ctx, wo.id));
};
