import * as Activity from "../activity/service.ts";
import { iso } from "../clock.ts";
import type { Actor, Ctx } from "../context.ts";
import { type ChatMessageItem, isConditionalFailure, type TaskItem } from "../db/index.ts";
import { notFound, VisibleError } from "../errors.ts";
import { newId } from "../ids.ts";
import type { Page } from "../page.ts";
import * as Realtime from "../realtime/service.ts";
import * as SessionState from "../session/state.ts";
import * as TaskState from "../task/state.ts";
import * as Worker from "../worker/service.ts";
import { route } from "./router.ts";
import {
  type ChatMessageInfo,
  type ListMessagesQuery,
  type PendingQuestion,
  type PostMessageInput,
  toChatMessageInfo,
} from "./schema.ts";

const forbidden = (message: string) => new VisibleError("forbidden", "chat.forbidden", message);
const invalid = (field: string, message: string) =>
  new VisibleError("invalid", "chat.invalid", message, { fields: { [field]: message } });

/** A worker speaks only in the conversation of the task it holds. */
const assertHolds = (task: TaskItem, workerId: string) => {
  if (task.status !== "in_progress" || task.workerId !== workerId) {
    throw forbidden(`Worker ${workerId} is not working on task ${task.id}`);
  }
};

const loadRequest = async (ctx: Ctx, conversationId: string, id: string) => {
  const { data } = await ctx.db.chatMessage.get({ conversationId, id }).go();
  if (data?.messageType !== "request") {
    throw invalid(
      "parentMessageId",
      `parentMessageId ${id} is not a request in conversation ${conversationId}`,
    );
  }
  return data;
};

/**
 * Posts a message as whoever the actor is. A worker's request opens a question (worker ->
 * waiting); a person's response answers one (first answer wins; worker -> busy) and is pushed
 * to the asking worker at once.
 */
export const post = async (ctx: Ctx, actor: Actor, input: PostMessageInput): Promise<ChatMessageInfo> => {
  const task = await TaskState.load(ctx, input.conversationId);
  const isWorker = actor.role === "worker";
  if (isWorker) {
    assertHolds(task, actor.principalId);
    if (input.messageType === "response")
      throw forbidden("Workers ask; only people answer (messageType response)");
  } else if (input.messageType === "request") {
    throw forbidden("Only workers ask clarification requests");
  }
  if (input.messageType === "response" && !input.parentMessageId) {
    throw invalid("parentMessageId", "parentMessageId is required for a response: the request it answers");
  }
  const request = input.parentMessageId
    ? await loadRequest(ctx, input.conversationId, input.parentMessageId)
    : null;
  if (input.messageType === "response" && request?.closedAt) {
    throw new VisibleError(
      "conflict",
      "chat.question_closed",
      `Request ${request.id} was closed unanswered: ${request.closedReason}`,
      {
        closedAt: request.closedAt,
      },
    );
  }
  const now = iso(ctx.clock.now());
  const message: ChatMessageItem = {
    id: newId(),
    conversationId: input.conversationId,
    senderType: isWorker ? "worker" : "human",
    senderId: actor.principalId,
    message: input.message,
    messageType: input.messageType,
    createdAt: now,
    ...(input.parentMessageId ? { parentMessageId: input.parentMessageId } : {}),
  };

  if (input.messageType === "response" && request) {
    // Claim the right to answer first: the question exists only while unanswered.
    try {
      await ctx.db.question
        .delete({ requestId: request.id })
        .where((a, op) => op.exists(a.requestId))
        .go();
    } catch (err) {
      if (!isConditionalFailure(err)) throw err;
      throw new VisibleError(
        "conflict",
        "chat.already_answered",
        `Request ${request.id} is already answered`,
        {
          answerId: request.answerId,
        },
      );
    }
  }
  await ctx.db.chatMessage.create(message).go();

  const info = toChatMessageInfo(message);
  // A request goes where the router sends it (phase 1: the people watching); everything is
  // also pushed to the worker holding the task, when a person wrote it.
  const audience = {
    humans:
      input.messageType !== "request" ||
      route({ conversationId: task.id, workerId: actor.principalId, message: input.message }).to === "humans",
    workerIds: task.status === "in_progress" && task.workerId && !isWorker ? [task.workerId] : [],
  };
  if (input.messageType === "request") {
    // Open before anyone can see it: an answer must find the question, and the worker waiting.
    // The worker first: whoever sees the question pending also sees the worker waiting for it.
    await Worker.setStatus(ctx, actor.principalId, "waiting");
    await ctx.db.question
      .create({
        requestId: message.id,
        conversationId: task.id,
        workerId: actor.principalId,
        message: input.message,
        createdAt: now,
      })
      .go();
  }
  const steps: Promise<unknown>[] = [Realtime.publish(ctx, { type: "chat.message", data: info }, audience)];
  if (isWorker) {
    steps.push(
      SessionState.openFor(ctx, actor.principalId, task.id).then((open) =>
        Promise.all(open.map((s) => SessionState.touch(ctx, s))),
      ),
    );
  }
  if (request) {
    const answered = { ...request, answeredAt: now, answerId: message.id };
    steps.push(
      ctx.db.chatMessage
        .patch({ conversationId: request.conversationId, id: request.id })
        .set({ answeredAt: now, answerId: message.id })
        .go()
        .then(() => Realtime.publish(ctx, { type: "chat.message", data: toChatMessageInfo(answered) })),
      // Only from waiting: a quick worker may already have finished and gone idle.
      Worker.setStatus(ctx, request.senderId, "busy", undefined, "waiting"),
    );
  }
  if (input.messageType !== "status") {
    steps.push(
      Activity.record(ctx, {
        type: input.messageType === "request" ? "chat.request" : "chat.response",
        summary:
          input.messageType === "request"
            ? `Question on "${task.title}"`
            : `${actor.name} answered on "${task.title}"`,
        taskId: task.id,
        ...(isWorker ? { workerId: actor.principalId } : {}),
      }),
    );
  }
  await Promise.all(steps);
  return info;
};

export const list = async (ctx: Ctx, query: ListMessagesQuery): Promise<Page<ChatMessageInfo>> => {
  await TaskState.load(ctx, query.conversationId);
  const result = await ctx.db.chatMessage.query
    .primary({ conversationId: query.conversationId })
    .go({ order: query.order, limit: query.limit, cursor: query.cursor ?? null });
  return { items: result.data.map(toChatMessageInfo), nextCursor: result.cursor };
};

export const get = async (ctx: Ctx, conversationId: string, id: string) => {
  const { data } = await ctx.db.chatMessage.get({ conversationId, id }).go();
  if (!data) throw notFound("chatMessage", id);
  return toChatMessageInfo(data);
};

/** Open questions, oldest first, with how long each worker has been waiting. */
export const pending = async (ctx: Ctx): Promise<PendingQuestion[]> => {
  const now = ctx.clock.now();
  const { data } = await ctx.db.question.query.pending({}).go({ order: "asc", pages: "all" });
  return data.map((q) => ({
    requestId: q.requestId,
    conversationId: q.conversationId,
    taskId: q.conversationId,
    workerId: q.workerId,
    message: q.message,
    createdAt: q.createdAt,
    waitingMs: now - Date.parse(q.createdAt),
  }));
};

/**
 * Closes a conversation's open questions when the work that asked them ends (failed, reaped,
 * released): nobody is waiting for the answer any more, so they leave the pending list and
 * say why. The conditional delete makes a concurrent answer and a close exclude each other.
 */
export const closeOpen = async (ctx: Ctx, conversationId: string, reason: string) => {
  const { data } = await ctx.db.question.query.byConversation({ conversationId }).go({ pages: "all" });
  const now = iso(ctx.clock.now());
  await Promise.all(
    data.map(async (q) => {
      try {
        await ctx.db.question
          .delete({ requestId: q.requestId })
          .where((a, op) => op.exists(a.requestId))
          .go();
      } catch (err) {
        if (isConditionalFailure(err)) return;
        throw err;
      }
      const { data: closed } = await ctx.db.chatMessage
        .patch({ conversationId, id: q.requestId })
        .set({ closedAt: now, closedReason: reason })
        .go({ response: "all_new" });
      await Realtime.publish(ctx, {
        type: "chat.message",
        data: toChatMessageInfo(closed as ChatMessageItem),
      });
    }),
  );
};
