import { setImmediate as nextTurn } from "node:timers/promises";
import * as Activity from "../activity/service.ts";
import * as Audit from "../audit/service.ts";
import type { Actor, Ctx } from "../context.ts";
import type { DeciderType, RequestKind } from "../db/enums.ts";
import type { ChatMessageItem, QuestionItem } from "../db/index.ts";
import { invalidField, VisibleError } from "../errors.ts";
import * as Realtime from "../realtime/service.ts";
import * as TaskState from "../task/state.ts";
import { resumeAnswered } from "../work-order/resume.ts";
import * as Worker from "../worker/service.ts";
import { type ChatMessageInfo, type PostMessageInput, toChatMessageInfo } from "./schema.ts";
import { compose, forbidden, needsMessage } from "./speak.ts";
import * as Store from "./store.ts";

export type AnswerInput = Pick<PostMessageInput, "conversationId" | "message" | "decision"> & {
  parentMessageId: string;
};

/**
 * Who decides a request: a person (their token), a policy rule or the controller. `name` is
 * how the timeline says it; `ruleId` the rule that routed the request, `reason` why it decided.
 */
export interface Decider {
  type: DeciderType;
  id: string;
  name: string;
  ruleId?: string | undefined;
  reason?: string | undefined;
}

export const personOf = (actor: Actor): Decider => ({
  type: "person",
  id: actor.principalId,
  name: actor.name,
});

/** The kind of request an answer fits: a decision answers an approval, a message alone a question. */
const fits = (input: AnswerInput): RequestKind => (input.decision ? "approval" : "question");

/** Why an answer does not fit its request, or null when it does. */
const misfit = (input: AnswerInput, kind: RequestKind) => {
  if (kind === "approval" && !input.decision)
    return invalidField("decision", "required to answer an approval: allow or deny");
  if (kind === "question" && input.decision)
    return invalidField("decision", "a question is answered with a message, not a decision");
  if (kind === "question" && input.message === undefined)
    return invalidField("message", "required to answer a question");
  return null;
};

/**
 * Why the request could not be taken, read after the attempt: the conversation is unknown
 * (404), the parent is not a request of it or the answer does not fit it (400), or it was
 * closed because its work ended or answered by someone else first (409).
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
  const wrong = misfit(input, request.kind ?? "question");
  if (wrong) return wrong;
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
 * The answer as stored, signed by its decider (a rule or the controller speaks as the system):
 * an approval's decision says itself when the decider adds nothing.
 */
const responseTo = (ctx: Ctx, by: Decider, input: AnswerInput, question: QuestionItem): ChatMessageItem => {
  const text = input.decision
    ? (input.message ?? (input.decision === "allow" ? "Allowed" : "Denied"))
    : needsMessage(input.message);
  const sender = { senderType: by.type === "person" ? "human" : "system", senderId: by.id } as const;
  return {
    ...compose(ctx, sender, input.conversationId, text, "response"),
    parentMessageId: question.requestId,
    ...(input.decision ? { decision: input.decision } : {}),
    decidedBy: { type: by.type, id: by.id },
  };
};

const OUTCOME = { allow: "allowed", deny: "denied" } as const;

const summaryOf = (by: Decider, input: AnswerInput, question: QuestionItem, title: string) =>
  input.decision
    ? `${by.name} ${OUTCOME[input.decision]} ${question.tool} on "${title}"`
    : `${by.name} answered on "${title}"`;

/** The audit line of an answer: who decided, what, and why. */
const auditOf = (by: Decider, question: QuestionItem, response: ChatMessageItem): Audit.AuditInput => ({
  taskId: question.conversationId,
  requestId: question.requestId,
  kind: question.kind ?? "question",
  tool: question.tool,
  decidedBy: { type: by.type, id: by.id },
  outcome: response.decision ? OUTCOME[response.decision] : "answered",
  message: response.message,
  responseId: response.id,
  ruleId: by.ruleId,
  reason: by.reason,
});

/**
 * A decider answers an open request: a person, or a rule or the controller on the same path.
 * Taking it off the pending list is the one write that decides (the first answer wins; it
 * exists only while the request is open in this conversation, and the take holds only for a
 * request of the kind the answer fits), so it comes first; the answer is pushed to the asking
 * worker the moment it succeeds, and once that push is on its way the answer, the request's
 * answered mark and the worker's status are written.
 */
const answering = async (ctx: Ctx, by: Decider, input: AnswerInput): Promise<ChatMessageInfo> => {
  // A message-less answer fits no request: only the refusal says which field it lacks.
  const taking =
    input.decision || input.message !== undefined
      ? Store.takeQuestion(ctx, input.conversationId, input.parentMessageId, fits(input))
      : Promise.resolve(null);
  // Read alongside the take, and sent after it, so that an engine serving requests in turn
  // (DynamoDB Local) decides first: the task names the activity, the request is re-sent as answered.
  const task = TaskState.load(ctx, input.conversationId);
  const request = Store.loadMessage(ctx, input.conversationId, input.parentMessageId);
  // Awaited below or not at all (refused): never an unhandled rejection.
  task.catch(() => {});
  request.catch(() => {});
  const question = await taking;
  if (!question) throw await refusal(ctx, input, task);

  const response = responseTo(ctx, by, input, question);
  const info = toChatMessageInfo(response);
  const answered = (r: ChatMessageItem | null) =>
    r &&
    Realtime.publish(ctx, {
      type: "chat.message",
      data: toChatMessageInfo({ ...r, answeredAt: response.createdAt, answerId: response.id }),
    });
  const pushed = Realtime.publish(
    ctx,
    { type: "chat.message", data: info },
    { humans: true, workerIds: [question.workerId] },
  );
  // The rest starts once the push is on its way: setting up their requests would hold it.
  await nextTurn();
  await Promise.all([
    pushed,
    request.then(answered),
    Store.putMessage(ctx, response),
    Store.markAnswered(ctx, { ...response, parentMessageId: question.requestId }),
    Audit.record(ctx, auditOf(by, question, response)),
    // Only from waiting: a quick worker may already have finished and gone idle.
    Worker.setStatus(ctx, question.workerId, "busy", undefined, "waiting"),
    task.then((t) =>
      Activity.record(ctx, {
        type: "chat.response",
        summary: summaryOf(by, input, question, t.title),
        taskId: t.id,
      }),
    ),
  ]);
  // The answer is stored: a run parked on this request resumes (its worker reads the answer).
  await resumeAnswered(ctx, (await task).currentWorkOrderId, question.requestId);
  return info;
};

/** A rule or the controller decides: answered exactly as a person would answer. */
export const respond = (ctx: Ctx, by: Decider, input: AnswerInput) =>
  Realtime.ahead(ctx, () => answering(ctx, by, input));

/** A person answers; workers only ask. */
export const answer = (ctx: Ctx, actor: Actor, input: AnswerInput) => {
  if (actor.role === "worker") return Promise.reject(forbidden("Workers ask; only people answer"));
  return respond(ctx, personOf(actor), input);
};
