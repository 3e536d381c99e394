import type { Ctx } from "../context.ts";
import type { TaskItem } from "../db/index.ts";
import * as Realtime from "../realtime/service.ts";
import type { ChatMessageInfo } from "./schema.ts";

/**
 * A request goes to the people watching: no rule decided it, or the controller passed it on.
 * Every person's connection gets it (the worker already knows it asked).
 */
export const toPeople = async (ctx: Ctx, _task: TaskItem, request: ChatMessageInfo) => {
  await Realtime.publish(ctx, { type: "chat.message", data: request }, { humans: true });
};
