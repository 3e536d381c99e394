import * as Audit from "../audit/service.ts";
import { type AnswerInput, type Decider, respond } from "../chat/answer.ts";
import { toChatMessageInfo } from "../chat/schema.ts";
import * as Store from "../chat/store.ts";
import { toPeople } from "../chat/to-people.ts";
import type { Ctx } from "../context.ts";
import type { ChatMessageItem, TaskItem } from "../db/index.ts";
import { VisibleError } from "../errors.ts";
import { log } from "../log.ts";
import type { Rule } from "../policy/rule.ts";
import type { ControllerRequest, Verdict } from "../ports/controller.ts";

/** How much of the conversation before the request the controller reads. */
const RECENT_MESSAGES = 20;
const FROM = { worker: "agent", human: "person", system: "system" } as const;

const contextOf = async (ctx: Ctx, task: TaskItem, request: ChatMessageItem): Promise<ControllerRequest> => {
  const recent = await Store.messagesOf(ctx, {
    conversationId: task.id,
    order: "desc",
    limit: RECENT_MESSAGES + 1,
  });
  const before = recent.data.filter((m) => m.id < request.id).slice(0, RECENT_MESSAGES);
  return {
    task: {
      title: task.title,
      description: task.description,
      taskType: task.taskType,
      repositoryUrl: task.repositoryUrl ?? null,
    },
    request: {
      kind: request.kind ?? "question",
      message: request.message,
      tool: request.tool ?? null,
      input: request.input ?? null,
    },
    conversation: before.reverse().map((m) => ({ from: FROM[m.senderType], text: m.message })),
  };
};

/** A verdict that does not fit the request (an answer to an approval, a decision on a question). */
const misfit = (verdict: Verdict, kind: ControllerRequest["request"]["kind"]) =>
  (verdict.action === "answer" && kind === "approval") ||
  ((verdict.action === "allow" || verdict.action === "deny") && kind === "question");

/** The controller's verdict; a missing controller, any failure or timeout, or a misfit escalates. */
const verdictOf = async (ctx: Ctx, task: TaskItem, request: ChatMessageItem): Promise<Verdict> => {
  if (!ctx.controller)
    return { action: "escalate", reason: "No controller is configured (ANTHROPIC_API_KEY)" };
  try {
    const asked = await contextOf(ctx, task, request);
    const verdict = await ctx.controller.decide(asked);
    if (!misfit(verdict, asked.request.kind)) return verdict;
    return {
      action: "escalate",
      reason: `The controller's ${verdict.action} does not fit a ${asked.request.kind}`,
    };
  } catch (err) {
    log.warn({ err, requestId: request.id }, "the controller failed: the request goes to people");
    return { action: "escalate", reason: `The controller failed: ${(err as Error).message}`.slice(0, 500) };
  }
};

/** Passes the request to people, unless someone decided or closed it meanwhile; the audit says why. */
const escalate = async (ctx: Ctx, by: Decider, task: TaskItem, request: ChatMessageItem, reason: string) => {
  if (!(await Store.isOpen(ctx, request.id))) return;
  await Promise.all([
    toPeople(ctx, task, toChatMessageInfo(request)),
    Audit.record(ctx, {
      taskId: task.id,
      requestId: request.id,
      kind: request.kind ?? "question",
      tool: request.tool,
      decidedBy: { type: by.type, id: by.id },
      outcome: "escalated",
      message: "Passed to a person",
      ruleId: by.ruleId,
      reason,
    }),
  ]);
};

const answerOf = (
  verdict: Exclude<Verdict, { action: "escalate" }>,
): Pick<AnswerInput, "message" | "decision"> =>
  verdict.action === "answer"
    ? { message: verdict.message }
    : { decision: verdict.action, ...(verdict.message ? { message: verdict.message } : {}) };

/**
 * The controller decides a request a rule sent it: answers, allows or denies on the path a
 * person's answer takes, or passes it to people. Never leaves the agent waiting unheard: any
 * failure escalates. A person who answered first wins; the controller's answer is dropped.
 */
export const consult = async (ctx: Ctx, task: TaskItem, request: ChatMessageItem, rule: Rule) => {
  const verdict = await verdictOf(ctx, task, request);
  const by: Decider = {
    type: "controller",
    id: ctx.controller?.id ?? "none",
    name: "The controller",
    ruleId: rule.id,
    reason: verdict.reason,
  };
  if (verdict.action === "escalate") return escalate(ctx, by, task, request, verdict.reason);
  try {
    await respond(ctx, by, { conversationId: task.id, parentMessageId: request.id, ...answerOf(verdict) });
  } catch (err) {
    if (err instanceof VisibleError) return;
    await escalate(
      ctx,
      by,
      task,
      request,
      `The controller's answer could not be written: ${(err as Error).message}`,
    );
  }
};
