import { later } from "../after.ts";
import { iso } from "../clock.ts";
import type { Ctx } from "../context.ts";
import type { ExecutionStatus } from "../db/enums.ts";
import type { ExecutionItem } from "../db/index.ts";
import { notFound, VisibleError } from "../errors.ts";
import { newId, sessionIdFor } from "../ids.ts";
import type { Page, PageQuery } from "../page.ts";
import * as Realtime from "../realtime/service.ts";
import * as SessionState from "../session/state.ts";
import { bound, boundReport, forEvent } from "./report.ts";
import { type ExecutionInfo, type ExecutionReport, type ProgressInput, toExecutionInfo } from "./schema.ts";
import * as Store from "./store.ts";

export { bound } from "./report.ts";
export { runningFor } from "./store.ts";

const publish = (ctx: Ctx, e: ExecutionItem) =>
  later(ctx, () => Realtime.publish(ctx, { type: "execution.updated", data: forEvent(toExecutionInfo(e)) }));

/** The agent session an execution runs in keeps going while it reports; null once gone. */
const touchSession = async (ctx: Ctx, execution: ExecutionItem, status?: "idle") => {
  const session = await SessionState.load(ctx, sessionIdFor(execution.sessionId)).catch((err) => {
    if ((err as VisibleError).code === "session.not_found") return null;
    throw err;
  });
  if (session) await SessionState.touch(ctx, session, status);
};

export const start = async (
  ctx: Ctx,
  input: {
    taskId: string;
    workOrderId: string;
    workerId: string;
    sessionId: string;
    resumedFrom?: string | undefined;
  },
) => {
  const now = iso(ctx.clock.now());
  const execution = await Store.insert(ctx, {
    ...input,
    id: newId(),
    status: "running",
    progress: 0,
    output: "",
    outputTruncated: false,
    startedAt: now,
    updatedAt: now,
  });
  await publish(ctx, execution);
  return execution;
};

/** A parked run: its execution waits for the answer; the one that resumes it names it (resumedFrom). */
export const park = async (ctx: Ctx, execution: ExecutionItem) =>
  publish(ctx, await Store.update(ctx, execution, { status: "parked", updatedAt: iso(ctx.clock.now()) }));

/**
 * A worker's progress report on its own running execution; it is agent activity, so it also
 * keeps the execution's session alive.
 */
export const report = async (
  ctx: Ctx,
  workerId: string,
  id: string,
  input: ProgressInput,
): Promise<ExecutionInfo> => {
  const execution = await Store.get(ctx, id);
  if (!execution) throw notFound("execution", id);
  if (execution.workerId !== workerId) {
    throw new VisibleError("forbidden", "execution.not_yours", `Execution ${id} belongs to another worker`);
  }
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
    touchSession(ctx, execution),
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
  const [ended] = await Promise.all([
    Store.update(ctx, execution, {
      status,
      completedAt: now,
      updatedAt: now,
      ...(status === "completed" ? { progress: 100 } : {}),
      ...(bounded ? { output: bounded.output, outputTruncated: bounded.truncated } : {}),
      ...(report ? boundReport(report, ctx.config) : {}),
    }),
    touchSession(ctx, execution, "idle"),
  ]);
  await publish(ctx, ended);
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
