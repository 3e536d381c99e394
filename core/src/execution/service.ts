import { later } from "../after.ts";
import { iso } from "../clock.ts";
import type { Ctx } from "../context.ts";
import type { ExecutionStatus } from "../db/enums.ts";
import type { ExecutionItem } from "../db/index.ts";
import { notFound, VisibleError } from "../errors.ts";
import { sessionIdFor } from "../ids.ts";
import type { Page, PageQuery } from "../page.ts";
import * as Realtime from "../realtime/service.ts";
import * as SessionState from "../session/state.ts";
import { bound, boundReport, forEvent, hasReport } from "./report.ts";
import { type ExecutionInfo, type ExecutionReport, type ProgressInput, toExecutionInfo } from "./schema.ts";
import * as Store from "./store.ts";

export { bound } from "./report.ts";
export { runningFor } from "./store.ts";

const publish = (ctx: Ctx, e: ExecutionItem) =>
  later(ctx, () => Realtime.publish(ctx, { type: "execution.updated", data: forEvent(toExecutionInfo(e)) }));

/**
 * Starts an execution while its session opens (`opening`, which may already name it by `id`):
 * both are written at once. It is announced once the session is open, and taken back if the
 * session could not open (that failure is rethrown).
 */
export const start = async (
  ctx: Ctx,
  input: {
    id: string;
    taskId: string;
    workOrderId: string;
    workerId: string;
    sessionId: string;
    resumedFrom?: string | undefined;
  },
  opening: Promise<unknown>,
) => {
  const now = iso(ctx.clock.now());
  const item: ExecutionItem = {
    ...input,
    status: "running",
    progress: 0,
    output: "",
    outputTruncated: false,
    startedAt: now,
    updatedAt: now,
  };
  const [written, opened] = await Promise.allSettled([Store.insert(ctx, item), opening]);
  if (opened.status === "rejected") {
    if (written.status === "fulfilled") await Store.remove(ctx, item.id);
    throw opened.reason;
  }
  if (written.status === "rejected") throw written.reason;
  await publish(ctx, written.value);
  return written.value;
};

/**
 * A parked run: its execution waits for the answer; the one that resumes it names it
 * (resumedFrom). Its report (bounded) is what the run did and used up to the park: each run of a
 * parked and resumed task reports its own part.
 */
export const park = async (ctx: Ctx, execution: ExecutionItem, report?: ExecutionReport) =>
  publish(
    ctx,
    await Store.update(ctx, execution, {
      status: "parked",
      updatedAt: iso(ctx.clock.now()),
      ...(report ? boundReport(report, ctx.config) : {}),
    }),
  );

/** An execution, read for the worker that runs it (or ran it). */
const ownExecution = async (ctx: Ctx, workerId: string, id: string) => {
  const execution = await Store.get(ctx, id);
  if (!execution) throw notFound("execution", id);
  if (execution.workerId !== workerId) {
    throw new VisibleError("forbidden", "execution.not_yours", `Execution ${id} belongs to another worker`);
  }
  return execution;
};

/**
 * A worker's progress report on its own running execution; it is agent activity, so it also
 * keeps the execution's session alive.
 */
export const reportProgress = async (
  ctx: Ctx,
  workerId: string,
  id: string,
  input: ProgressInput,
): Promise<ExecutionInfo> => {
  const execution = await ownExecution(ctx, workerId, id);
  if (execution.status !== "running") {
    throw new VisibleError("conflict", "execution.finished", `Execution ${id} is ${execution.status}`, {
      status: execution.status,
    });
  }
  const [updated] = await Promise.all([
    Store.update(ctx, execution, {
      progress: input.progress,
      updatedAt: iso(ctx.clock.now()),
      ...(input.step ? { step: input.step } : {}),
    }),
    // The agent session it runs in keeps going while it reports.
    SessionState.touchById(ctx, sessionIdFor(execution.sessionId)),
  ]);
  await publish(ctx, updated);
  return toExecutionInfo(updated);
};

/**
 * Ends an execution, with the worker's output and report (bounded). Its agent session
 * outlives it and goes idle: the keep-alive policy reaps it when nothing more happens (a
 * terminated session stays terminated).
 */
export const finish = async (
  ctx: Ctx,
  execution: ExecutionItem,
  status: ExecutionStatus,
  output?: string,
  report?: ExecutionReport,
) => {
  const now = iso(ctx.clock.now());
  const bounded = output === undefined ? null : bound(output, ctx.config.maxOutputBytes);
  const ended = await Store.update(ctx, execution, {
    status,
    completedAt: now,
    updatedAt: now,
    ...(status === "completed" ? { progress: 100 } : {}),
    ...(bounded ? { output: bounded.output, outputTruncated: bounded.truncated } : {}),
    ...(report ? boundReport(report, ctx.config) : {}),
  });
  await publish(ctx, ended);
  // Its session goes idle without holding the answer: the execution's end is what it waits for.
  await later(ctx, () => SessionState.touchById(ctx, sessionIdFor(execution.sessionId), "idle"));
};

/**
 * The report of a run that was ended from outside, sent by its worker once the agent has
 * stopped: its session was terminated, another worker took its work over, or it was released as
 * its worker stopped. Core ended the execution then, without the worker's word, so what the run
 * used comes after. Taken once, for an ended execution without a report: a running one reports
 * as it ends (complete, fail, park).
 */
export const addLateReport = async (
  ctx: Ctx,
  workerId: string,
  id: string,
  input: ExecutionReport,
): Promise<ExecutionInfo> => {
  const execution = await ownExecution(ctx, workerId, id);
  if (execution.status === "running") {
    throw new VisibleError(
      "conflict",
      "execution.running",
      `Execution ${id} is running: its report comes with its end (complete, fail or park)`,
    );
  }
  if (hasReport(execution))
    throw new VisibleError("conflict", "execution.reported", `Execution ${id} has its report already`);
  const changes = { ...boundReport(input, ctx.config), updatedAt: iso(ctx.clock.now()) };
  const written = await Store.updateUnchanged(ctx, execution, changes);
  if (!written) {
    throw new VisibleError(
      "conflict",
      "execution.changed",
      `Execution ${id} changed while its report was being written; read it and send the report again`,
    );
  }
  await publish(ctx, written);
  return toExecutionInfo(written);
};

export const listByTask = async (
  ctx: Ctx,
  taskId: string,
  query: PageQuery,
): Promise<Page<ExecutionInfo>> => {
  const result = await Store.byTask(ctx, taskId, query.limit, query.cursor ?? null);
  return { items: result.data.map(toExecutionInfo), nextCursor: result.cursor };
};

/** A session's execution, if it has one. */
export const get = (ctx: Ctx, id: string) => Store.get(ctx, id);
