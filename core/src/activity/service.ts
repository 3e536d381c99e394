import { epochSeconds, iso } from "../clock.ts";
import type { Ctx } from "../context.ts";
import { newId } from "../ids.ts";
import type { Page, PageQuery } from "../page.ts";
import * as Realtime from "../realtime/service.ts";
import { type ActivityInfo, toActivityInfo } from "./schema.ts";

export interface ActivityInput {
  type: string;
  summary: string;
  taskId?: string;
  workerId?: string;
  sessionId?: string;
}

const info = toActivityInfo;

/** Records one line of the timeline and pushes it to everyone watching. */
export const record = async (ctx: Ctx, input: ActivityInput) => {
  const now = ctx.clock.now();
  const item = await ctx.db.activity
    .create({
      ...input,
      id: newId(),
      createdAt: iso(now),
      expiresAt: epochSeconds(now + ctx.config.activityTtlMs),
    })
    .go();
  await Realtime.publish(ctx, { type: "activity.created", data: info(item.data) });
};

export const timeline = async (
  ctx: Ctx,
  query: PageQuery & { taskId?: string },
): Promise<Page<ActivityInfo>> => {
  const options = { order: "desc", limit: query.limit, cursor: query.cursor ?? null } as const;
  const result = query.taskId
    ? await ctx.db.activity.query.byTask({ taskId: query.taskId }).go(options)
    : await ctx.db.activity.query.timeline({}).go(options);
  return { items: result.data.map(info), nextCursor: result.cursor };
};
