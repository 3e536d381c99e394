import { iso } from "../clock.ts";
import type { Ctx } from "../context.ts";
import { notFound } from "../errors.ts";
import type { Page } from "../page.ts";
import * as Realtime from "../realtime/service.ts";
import * as TaskState from "../task/state.ts";
import {
  type ChatMessageInfo,
  type ListMessagesQuery,
  type PendingQuestion,
  toChatMessageInfo,
} from "./schema.ts";
import * as Store from "./store.ts";

/** Posting, by intent: a worker asks, a person answers, anyone notes. */
export { type AnswerInput, answer } from "./answer.ts";
export { type AskInput, ask } from "./ask.ts";
export { type NoteInput, note } from "./note.ts";

export const list = async (ctx: Ctx, query: ListMessagesQuery): Promise<Page<ChatMessageInfo>> => {
  // The conversation must exist (404); both reads at once.
  const [, result] = await Promise.all([
    TaskState.load(ctx, query.conversationId),
    Store.messagesOf(ctx, query),
  ]);
  return { items: result.data.map(toChatMessageInfo), nextCursor: result.cursor };
};

export const get = async (ctx: Ctx, conversationId: string, id: string) => {
  const data = await Store.loadMessage(ctx, conversationId, id);
  if (!data) throw notFound("chatMessage", id);
  return toChatMessageInfo(data);
};

/** Open requests (questions and approvals), oldest first, with how long each worker has been waiting. */
export const pending = async (ctx: Ctx): Promise<PendingQuestion[]> => {
  const now = ctx.clock.now();
  return (await Store.pendingQuestions(ctx)).map((q) => ({
    requestId: q.requestId,
    conversationId: q.conversationId,
    taskId: q.conversationId,
    workerId: q.workerId,
    message: q.message,
    kind: q.kind ?? "question",
    tool: q.tool ?? null,
    input: q.input ?? null,
    createdAt: q.createdAt,
    waitingMs: now - Date.parse(q.createdAt),
  }));
};

/**
 * Closes a conversation's open questions when the work that asked them ends (failed, reaped,
 * released): nobody is waiting for the answer any more, so they leave the pending list and
 * say why. Taking the question decides, so a concurrent answer and a close exclude each other.
 */
export const closeOpen = async (ctx: Ctx, conversationId: string, reason: string) => {
  const now = iso(ctx.clock.now());
  const open = await Store.questionsOf(ctx, conversationId);
  await Promise.all(
    open.map(async (q) => {
      if (!(await Store.takeQuestion(ctx, conversationId, q.requestId))) return;
      const closed = await Store.markClosed(ctx, conversationId, q.requestId, now, reason);
      await Realtime.publish(ctx, { type: "chat.message", data: toChatMessageInfo(closed) });
    }),
  );
};
