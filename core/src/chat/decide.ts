import { later } from "../after.ts";
import type { Ctx } from "../context.ts";
import { consult } from "../controller/consult.ts";
import type { ChatMessageItem, TaskItem } from "../db/index.ts";
import { VisibleError } from "../errors.ts";
import { log } from "../log.ts";
import type { Route } from "../policy/service.ts";
import { type AnswerInput, type Decider, respond } from "./answer.ts";
import { toChatMessageInfo } from "./schema.ts";
import { toPeople } from "./to-people.ts";

/** A rule's answer: its fixed reply, or its decision (a denial tells the agent which rule and why). */
const answerOf = (rule: NonNullable<Route["rule"]>): Pick<AnswerInput, "message" | "decision"> => {
  if (rule.then === "reply") return { message: rule.reply };
  if (rule.then === "deny")
    return { decision: "deny", message: `Denied by rule "${rule.id}"${rule.note ? `: ${rule.note}` : ""}` };
  return { decision: "allow" };
};

/**
 * What happens to an open request the policy routed away from people: a rule's allow, deny or
 * reply answers it at once, on the path a person's answer takes; the controller is consulted
 * after the worker has its answer (it may take seconds). A rule's answer that cannot be written
 * (not because someone else decided first) sends the request to people instead.
 */
export const decide = async (ctx: Ctx, route: Route, task: TaskItem, request: ChatMessageItem) => {
  const { rule } = route;
  if (!rule || rule.then === "human") return;
  if (rule.then === "controller") return later(ctx, () => consult(ctx, task, request, rule));
  const by: Decider = {
    type: "rule",
    id: rule.id,
    name: `Rule "${rule.id}"`,
    ruleId: rule.id,
    reason: rule.note,
  };
  try {
    await respond(ctx, by, { conversationId: task.id, parentMessageId: request.id, ...answerOf(rule) });
  } catch (err) {
    if (err instanceof VisibleError) return;
    log.warn(
      { err, requestId: request.id, ruleId: rule.id },
      "a rule's answer failed: the request goes to people",
    );
    await toPeople(ctx, task, toChatMessageInfo(request));
  }
};
