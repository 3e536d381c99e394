import { iso } from "../clock.ts";
import type { Ctx } from "../context.ts";
import type { AuditItem } from "../db/index.ts";
import { newId } from "../ids.ts";
import type { Page } from "../page.ts";
import { type AuditInfo, type AuditQuery, toAuditInfo } from "./schema.ts";

export type AuditInput = Omit<AuditItem, "id" | "createdAt" | "deciderType">;

/** Records who decided a request and how. */
export const record = async (ctx: Ctx, input: AuditInput) => {
  await ctx.db.audit
    .create({ ...input, id: newId(), deciderType: input.decidedBy.type, createdAt: iso(ctx.clock.now()) })
    .go();
};

/** Decisions newest first: of one task, of one type of decider, or both (a filtered page may be short). */
export const list = async (ctx: Ctx, query: AuditQuery): Promise<Page<AuditInfo>> => {
  const options = { order: "desc", limit: query.limit, cursor: query.cursor ?? null } as const;
  const { taskId, type } = query;
  const result = taskId
    ? await ctx.db.audit.query
        .byTask({ taskId })
        .where((a, op) => (type ? op.eq(a.deciderType, type) : ""))
        .go(options)
    : type
      ? await ctx.db.audit.query.byDecider({ deciderType: type }).go(options)
      : await ctx.db.audit.query.timeline({}).go(options);
  return { items: result.data.map(toAuditInfo), nextCursor: result.cursor };
};
