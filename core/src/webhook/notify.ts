import { later } from "../after.ts";
import type { ChatMessageInfo } from "../chat/schema.ts";
import { iso } from "../clock.ts";
import type { Ctx } from "../context.ts";
import type { TaskItem } from "../db/index.ts";
import type { WebhookEventType } from "../db/webhook.fields.ts";
import { newId } from "../ids.ts";
import { toTaskInfo } from "../task/schema.ts";
import type { WebhookEvent } from "./message.ts";

/**
 * Queues one event for every webhook that wants it. Only a queue message is written, after the
 * caller's answer where there is a deferral port; a failure is logged, never the caller's: a
 * state change neither waits for a receiver nor fails with it.
 */
export const notify = (ctx: Ctx, type: WebhookEventType, data: WebhookEvent["data"]) => {
  const queue = ctx.webhookQueue;
  if (!queue) return Promise.resolve();
  const event = { id: newId(), type, createdAt: iso(ctx.clock.now()), data };
  return later(ctx, () => queue.send({ event }));
};

/** A request went to a person: the task it is on and what it asks. */
export const inputNeeded = (ctx: Ctx, task: Pick<TaskItem, "id" | "title">, request: ChatMessageInfo) =>
  notify(ctx, "input.needed", {
    task: { id: task.id, title: task.title },
    request: {
      id: request.id,
      kind: request.kind,
      message: request.message,
      tool: request.tool,
      input: request.input,
      workerId: request.senderId,
      createdAt: request.createdAt,
    },
  });

/** A task's run ended: completed (and suspicious, if it looks like it did nothing) or failed. */
export const taskEnded = async (ctx: Ctx, task: TaskItem) => {
  const data = { task: toTaskInfo(task) };
  if (task.status === "failed") await notify(ctx, "task.failed", data);
  if (task.status !== "completed") return;
  await notify(ctx, "task.completed", data);
  if (task.suspicious) await notify(ctx, "task.suspicious", data);
};
