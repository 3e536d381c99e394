import type { Actor, Ctx } from "../context.ts";
import type { TaskItem } from "../db/index.ts";
import * as Realtime from "../realtime/service.ts";
import * as TaskState from "../task/state.ts";
import { type ChatMessageInfo, type PostMessageInput, toChatMessageInfo } from "./schema.ts";
import { assertHolds, compose, keepSessionsAlive, needsMessage, senderOf } from "./speak.ts";
import * as Store from "./store.ts";

/** The worker holding the task, who hears what people write in its conversation. */
const holder = (task: TaskItem): string[] =>
  task.status === "in_progress" && task.workerId ? [task.workerId] : [];

export type NoteInput = Pick<PostMessageInput, "conversationId" | "message">;

/**
 * A plain message (messageType status): a worker's progress note on the task it holds, or a
 * person's note in any conversation, which the worker holding the task hears at once.
 */
const noting = async (ctx: Ctx, actor: Actor, input: NoteInput): Promise<ChatMessageInfo> => {
  const task = await TaskState.load(ctx, input.conversationId);
  const isWorker = actor.role === "worker";
  if (isWorker) assertHolds(task, actor.principalId);
  const message = compose(ctx, senderOf(actor), task.id, needsMessage(input.message), "status");
  await Store.putMessage(ctx, message);
  const info = toChatMessageInfo(message);
  await Promise.all([
    Realtime.publish(
      ctx,
      { type: "chat.message", data: info },
      { humans: true, workerIds: isWorker ? [] : holder(task) },
    ),
    isWorker ? keepSessionsAlive(ctx, actor.principalId, task.id) : null,
  ]);
  return info;
};

export const note = (ctx: Ctx, actor: Actor, input: NoteInput) =>
  Realtime.ahead(ctx, () => noting(ctx, actor, input));
