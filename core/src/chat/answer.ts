import * as Activity from "../activity/service.ts";
import type { Actor, Ctx } from "../context.ts";
import type { ChatMessageItem } from "../db/index.ts";
import { invalidField, VisibleError } from "../errors.ts";
import * as Realtime from "../realtime/service.ts";
import * as TaskState from "../task/state.ts";
import * as Worker from "../worker/service.ts";
import { type ChatMessageInfo, type PostMessageInput, toChatMessageInfo } from "./schema.ts";
import { compose, forbidden } from "./speak.ts";
import * as Store from "./store.ts";

export type AnswerInput = Pick<PostMessageInput, "conversationId" | "message"> & { parentMessageId: string };

/**
 * Why the question could not be taken, read after the attempt: the conversation is unknown
 * (404), the parent is not a request of it (400), or the question was closed because its work
 * ended or answered by someone else first (409).
 */
const refusal = async (ctx: Ctx, input: AnswerInput, task: Promise<unknown>) => {
  await task;
  const request = await Store.loadMessage(ctx, input.conversationId, input.parentMessageId);
  if (request?.messageType !== "request") {
    return invalidField(
      "parentMessageId",
      `${input.parentMessageId} is not a request in conversation ${input.conversationId}`,
    );
  }
  if (request.closedAt) {
    return new VisibleError(
      "conflict",
      "chat.question_closed",
      `Request ${request.id} was closed unanswered: ${request.closedReason}`,
      { closedAt: request.closedAt },
    );
  }
  return new VisibleError("conflict", "chat.already_answered", `Request ${request.id} is already answered`, {
    answerId: request.answerId,
  });
};

/**
 * A person answers an open question. Taking the question off the pending list is the one write
 * that decides (the first answer wins; it exists only while the request is open in this
 * conversation), so it comes first; the answer is pushed to the asking worker the moment it
 * succeeds, while the answer, the request's answered mark and the worker's status are written.
 */
const answering = async (ctx: Ctx, actor: Actor, input: AnswerInput): Promise<ChatMessageInfo> => {
  if (actor.role === "worker") throw forbidden("Workers ask; only people answer");
  // Read alongside the take: the task names the activity, the request is re-sent as answered.
  const task = TaskState.load(ctx, input.conversationId);
  const request = Store.loadMessage(ctx, input.conversationId, input.parentMessageId);
  // Awaited below or not at all (refused): never an unhandled rejection.
  task.catch(() => {});
  request.catch(() => {});
  const question = await Store.takeQuestion(ctx, input.conversationId, input.parentMessageId);
  if (!question) throw await refusal(ctx, input, task);

  const response = {
    ...compose(ctx, actor, input.conversationId, input.message, "response"),
    parentMessageId: question.requestId,
  };
  const info = toChatMessageInfo(response);
  const answered = (r: ChatMessageItem | null) =>
    r &&
    Realtime.publish(ctx, {
      type: "chat.message",
      data: toChatMessageInfo({ ...r, answeredAt: response.createdAt, answerId: response.id }),
    });
  await Promise.all([
    Realtime.publish(
      ctx,
      { type: "chat.message", data: info },
      { humans: true, workerIds: [question.workerId] },
    ),
    request.then(answered),
    Store.putMessage(ctx, response),
    Store.markAnswered(ctx, response),
    // Only from waiting: a quick worker may already have finished and gone idle.
    Worker.setStatus(ctx, question.workerId, "busy", undefined, "waiting"),
    task.then((t) =>
      Activity.record(ctx, {
        type: "chat.response",
        summary: `${actor.name} answered on "${t.title}"`,
        taskId: t.id,
      }),
    ),
  ]);
  return info;
};

export const answer = (ctx: Ctx, actor: Actor, input: AnswerInput) =>
  Realtime.ahead(ctx, () => answering(ctx, actor, input));
