import { iso } from "../clock.ts";
import type { Ctx } from "../context.ts";
import type { ExecutionStatus } from "../db/enums.ts";
import type { ExecutionItem } from "../db/index.ts";
import { notFound, VisibleError } from "../errors.ts";
import { newId, sessionIdFor } from "../ids.ts";
import type { Page, PageQuery } from "../page.ts";
import * as Realtime from "../realtime/service.ts";
import * as SessionState from "../session/state.ts";
import { type ProgressInput, toExecutionInfo } from "./schema.ts";

const publish = (ctx: Ctx, e: ExecutionItem) =>
  Realtime.publish(ctx, { type: "execution.updated", data: toExecutionInfo(e) });

/** Cuts output to the configured size (UTF-8 bytes) so an item never nears DynamoDB's 400 KB. */
export const bound = (output: string, maxBytes: number): { output: string; truncated: boolean } => {
  const bytes = Buffer.from(output, "utf8");
  if (bytes.length <= maxBytes) return { output, truncated: false };
  // The marker only where it fits: a negative end would make subarray count from the end.
  const marker = Buffer.byteLength("\n[output truncated]") < maxBytes ? "\n[output truncated]" : "";
  // Decoding a cut buffer may end in half a character; drop the replacement char it becomes.
  const kept = bytes
    .subarray(0, maxBytes - Buffer.byteLength(marker))
    .toString("utf8")
    .replace(/\uFFFD$/, "");
  return { output: kept + marker, truncated: true };
};

export const start = async (
  ctx: Ctx,
  input: { taskId: string; workOrderId: string; workerId: string; sessionId: string },
) => {
  const now = iso(ctx.clock.now());
  const { data } = await ctx.db.execution
    .create({ ...input, id: newId(), status: "running", startedAt: now, updatedAt: now })
    .go();
  await publish(ctx, data);
  return data;
};

/**
 * A worker's progress report on its own running execution; it is agent activity, so it also
 * keeps the execution's session alive.
 */
export const report = async (ctx: Ctx, workerId: string, id: string, input: ProgressInput) => {
  const { data: execution } = await ctx.db.execution.get({ id }).go();
  if (!execution) throw notFound("execution", id);
  if (execution.workerId !== workerId) {
    throw new VisibleError("forbidden", "execution.not_yours", `Execution ${id} belongs to another worker`);
  }
  if (execution.status !== "running") {
    throw new VisibleError("conflict", "execution.finished", `Execution ${id} is ${execution.status}`, {
      status: execution.status,
    });
  }
  const { data } = await ctx.db.execution
    .patch({ id })
    .set({
      progress: input.progress,
      updatedAt: iso(ctx.clock.now()),
      ...(input.step ? { step: input.step } : {}),
    })
    .go({ response: "all_new" });
  const updated = { ...execution, ...data } as ExecutionItem;
  await publish(ctx, updated);
  const { data: session } = await ctx.db.session.get({ id: sessionIdFor(execution.sessionId) }).go();
  if (session) await SessionState.touch(ctx, session);
  return updated;
};

export const runningFor = async (ctx: Ctx, taskId: string, workOrderId: string) => {
  const { data } = await ctx.db.execution.query.byTask({ taskId }).go({ order: "desc", pages: "all" });
  return data.find((e) => e.workOrderId === workOrderId && e.status === "running") ?? null;
};

export const finish = async (
  ctx: Ctx,
  execution: ExecutionItem,
  status: ExecutionStatus,
  output?: string,
) => {
  const now = iso(ctx.clock.now());
  const bounded = output === undefined ? null : bound(output, ctx.config.maxOutputBytes);
  const { data } = await ctx.db.execution
    .patch({ id: execution.id })
    .set({
      status,
      completedAt: now,
      updatedAt: now,
      ...(status === "completed" ? { progress: 100 } : {}),
      ...(bounded ? { output: bounded.output, outputTruncated: bounded.truncated } : {}),
    })
    .go({ response: "all_new" });
  await publish(ctx, { ...execution, ...data } as ExecutionItem);
};

export const listByTask = async (
  ctx: Ctx,
  taskId: string,
  query: PageQuery,
): Promise<Page<ExecutionItem>> => {
  const result = await ctx.db.execution.query
    .byTask({ taskId })
    .go({ order: "desc", limit: query.limit, cursor: query.cursor ?? null });
  return { items: result.data, nextCursor: result.cursor };
};
