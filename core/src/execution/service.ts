import { iso } from "../clock.ts";
import type { Ctx } from "../context.ts";
import type { ExecutionStatus } from "../db/enums.ts";
import type { ExecutionItem } from "../db/index.ts";
import { newId } from "../ids.ts";
import type { Page, PageQuery } from "../page.ts";
import * as Realtime from "../realtime/service.ts";
import { toExecutionInfo } from "./schema.ts";

const publish = (ctx: Ctx, e: ExecutionItem) =>
  Realtime.publish(ctx, { type: "execution.updated", data: toExecutionInfo(e) });

/** Cuts output to the configured size (UTF-8 bytes) so an item never nears DynamoDB's 400 KB. */
export const bound = (output: string, maxBytes: number): { output: string; truncated: boolean } => {
  const bytes = Buffer.from(output, "utf8");
  if (bytes.length <= maxBytes) return { output, truncated: false };
  const marker = "\n[output truncated]";
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
