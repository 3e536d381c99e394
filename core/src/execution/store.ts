import type { Ctx } from "../context.ts";
import { type ExecutionItem, orNull } from "../db/index.ts";
import { addLogFields } from "../log.ts";
import type { ReportFields } from "./report.ts";

/** The execution's access patterns, one function each. */

export const get = async (ctx: Ctx, id: string): Promise<ExecutionItem | null> => {
  const { data } = await ctx.db.execution.get({ id }).go();
  if (data) addLogFields({ taskId: data.taskId, workOrderId: data.workOrderId });
  return data;
};

export const insert = async (ctx: Ctx, item: ExecutionItem): Promise<ExecutionItem> =>
  (await ctx.db.execution.create(item).go()).data;

export const remove = async (ctx: Ctx, id: string) => {
  await ctx.db.execution.delete({ id }).go();
};

type Changes = ReportFields &
  Partial<
    Pick<
      ExecutionItem,
      "status" | "progress" | "step" | "updatedAt" | "completedAt" | "output" | "outputTruncated"
    >
  >;

export const update = async (
  ctx: Ctx,
  execution: ExecutionItem,
  changes: Changes,
): Promise<ExecutionItem> => {
  const { data } = await ctx.db.execution
    .patch({ id: execution.id })
    .set(changes)
    .go({ response: "all_new" });
  return { ...execution, ...data } as ExecutionItem;
};

/** Changes an execution unless it changed since it was read (its updatedAt): null then. */
export const updateUnchanged = async (
  ctx: Ctx,
  execution: ExecutionItem,
  changes: Changes,
): Promise<ExecutionItem | null> => {
  const written = await orNull(
    ctx.db.execution
      .patch({ id: execution.id })
      .set(changes)
      .where((attr, op) => op.eq(attr.updatedAt, execution.updatedAt))
      .go({ response: "all_new" }),
  );
  return written && ({ ...execution, ...written.data } as ExecutionItem);
};

/** A task's executions, newest first. */
export const byTask = async (ctx: Ctx, taskId: string, limit: number, cursor: string | null) =>
  ctx.db.execution.query.byTask({ taskId }).go({ order: "desc", limit, cursor });

/** The execution a work order's holder runs, if it still runs. */
export const runningFor = async (ctx: Ctx, taskId: string, workOrderId: string) => {
  const { data } = await ctx.db.execution.query.byTask({ taskId }).go({ order: "desc", pages: "all" });
  return data.find((e) => e.workOrderId === workOrderId && e.status === "running") ?? null;
};
