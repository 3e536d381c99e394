import type { Ctx } from "../context.ts";
import type { RequestKind } from "../db/enums.ts";
import { type ChatMessageItem, isConditionalFailure, type QuestionItem } from "../db/index.ts";
import type { ListMessagesQuery } from "./schema.ts";

/**
 * The chat's access patterns, one function each: the only code that touches the chat message
 * and question entities. A failed conditional write is a return value here, never an exception.
 */

export const loadMessage = async (ctx: Ctx, conversationId: string, id: string) =>
  (await ctx.db.chatMessage.get({ conversationId, id }).go()).data;

export const putMessage = (ctx: Ctx, message: ChatMessageItem) => ctx.db.chatMessage.create(message).go();

/** A conversation's messages in order (ids are time-ordered), a page at a time. */
export const messagesOf = (ctx: Ctx, query: ListMessagesQuery) =>
  ctx.db.chatMessage.query
    .primary({ conversationId: query.conversationId })
    .go({ order: query.order, limit: query.limit, cursor: query.cursor ?? null });

export const markAnswered = (ctx: Ctx, answer: ChatMessageItem & { parentMessageId: string }) =>
  ctx.db.chatMessage
    .patch({ conversationId: answer.conversationId, id: answer.parentMessageId })
    .set({ answeredAt: answer.createdAt, answerId: answer.id })
    .go();

export const markClosed = async (
  ctx: Ctx,
  conversationId: string,
  requestId: string,
  closedAt: string,
  closedReason: string,
) =>
  (
    await ctx.db.chatMessage
      .patch({ conversationId, id: requestId })
      .set({ closedAt, closedReason })
      .go({ response: "all_new" })
  ).data as ChatMessageItem;

export const openQuestion = (ctx: Ctx, question: QuestionItem) => ctx.db.question.create(question).go();

/**
 * Takes an open request of a conversation off the pending list, if it still is on it (and is
 * of `kind`, when given): the request for the one caller that did (the first answer, or the
 * close), null for everyone after.
 */
export const takeQuestion = async (
  ctx: Ctx,
  conversationId: string,
  requestId: string,
  kind?: RequestKind,
): Promise<QuestionItem | null> => {
  try {
    const { data } = await ctx.db.question
      .delete({ requestId })
      .where((a, op) => {
        const open = `${op.exists(a.requestId)} AND ${op.eq(a.conversationId, conversationId)}`;
        if (!kind) return open;
        // Requests opened before approvals existed have no kind: they are questions.
        const ofKind =
          kind === "question"
            ? `(${op.eq(a.kind, "question")} OR ${op.notExists(a.kind)})`
            : op.eq(a.kind, "approval");
        return `${open} AND ${ofKind}`;
      })
      .go({ response: "all_old" });
    return data as QuestionItem | null;
  } catch (err) {
    if (isConditionalFailure(err)) return null;
    throw err;
  }
};

/** Whether a request is still open, read strongly (a park looks for an answer given just before). */
export const isOpen = async (ctx: Ctx, requestId: string) =>
  (await ctx.db.question.get({ requestId }).go({ consistent: true })).data !== null;

/** Open questions, oldest first. */
export const pendingQuestions = async (ctx: Ctx) =>
  (await ctx.db.question.query.pending({}).go({ order: "asc", pages: "all" })).data;

export const questionsOf = async (ctx: Ctx, conversationId: string) =>
  (await ctx.db.question.query.byConversation({ conversationId }).go({ pages: "all" })).data;
