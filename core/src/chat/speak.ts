import { iso } from "../clock.ts";
import type { Actor, Ctx } from "../context.ts";
import type { MessageType } from "../db/enums.ts";
import type { ChatMessageItem, TaskItem } from "../db/index.ts";
import { invalidField, VisibleError } from "../errors.ts";
import { newId } from "../ids.ts";
import * as SessionState from "../session/state.ts";

/** What ask, answer and note share: who may speak, the message they write, who hears it. */

export const forbidden = (message: string) => new VisibleError("forbidden", "chat.forbidden", message);

/** A worker speaks only in the conversation of the task it holds. */
export const assertHolds = (task: TaskItem, workerId: string) => {
  if (task.status !== "in_progress" || task.workerId !== workerId) {
    throw forbidden(`Worker ${workerId} is not working on task ${task.id}`);
  }
};

/** The message text where it is required (all but the answer to an approval). */
export const needsMessage = (message: string | undefined, why = "required"): string => {
  if (message === undefined) throw invalidField("message", why);
  return message;
};

/** Who a message is from: a worker, a person, or the system (a policy rule, the controller). */
export type Sender = Pick<ChatMessageItem, "senderType" | "senderId">;

export const senderOf = (actor: Actor): Sender => ({
  senderType: actor.role === "worker" ? "worker" : "human",
  senderId: actor.principalId,
});

export const compose = (
  ctx: Ctx,
  sender: Sender,
  conversationId: string,
  message: string,
  messageType: MessageType,
): ChatMessageItem => ({
  id: newId(),
  conversationId,
  ...sender,
  message,
  messageType,
  createdAt: iso(ctx.clock.now()),
});

/** A worker's message is agent activity: it keeps the worker's sessions on the task alive. */
export const keepSessionsAlive = async (ctx: Ctx, workerId: string, taskId: string) => {
  const open = await SessionState.openFor(ctx, workerId, taskId);
  await Promise.all(open.map((s) => SessionState.touch(ctx, s)));
};
