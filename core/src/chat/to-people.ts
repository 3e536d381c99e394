import { setImmediate as nextTurn } from "node:timers/promises";
import type { Ctx } from "../context.ts";
import type { TaskItem } from "../db/index.ts";
import * as Realtime from "../realtime/service.ts";
import * as Webhook from "../webhook/notify.ts";
import type { ChatMessageInfo } from "./schema.ts";

/**
 * A request goes to the people watching: no rule decided it, or the controller passed it on.
 * Every person's connection gets it (the worker already knows it asked), and the webhooks
 * that want it are told someone must act (input.needed).
 */
export const toPeople = async (ctx: Ctx, task: TaskItem, request: ChatMessageInfo) => {
  const pushed = Realtime.publish(ctx, { type: "chat.message", data: request }, { humans: true });
  // The webhooks once the push is on its way: setting up their request would hold it.
  await nextTurn();
  await Promise.all([pushed, Webhook.inputNeeded(ctx, task, request)]);
};
