import { iso } from "../clock.ts";
import type { Ctx } from "../context.ts";
import * as Realtime from "../realtime/service.ts";
import { PRIORITIES } from "../resources.ts";
import type { QueueStats } from "./schema.ts";
import * as Store from "./store.ts";

export const stats = async (ctx: Ctx): Promise<QueueStats> => {
  const [queues, claimed] = await Promise.all([ctx.queue.depth(), Store.countByStatus(ctx, "claimed")]);
  const totals = { visible: 0, inFlight: 0, dead: 0 };
  for (const p of PRIORITIES) {
    totals.visible += queues[p].visible;
    totals.inFlight += queues[p].inFlight;
    totals.dead += queues[p].dead;
  }
  return { queues, totals, claimed, at: iso(ctx.clock.now()) };
};

export const publishStats = async (ctx: Ctx) =>
  Realtime.publish(ctx, { type: "queue.stats", data: await stats(ctx) });
