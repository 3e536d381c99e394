import { setImmediate as nextTurn } from "node:timers/promises";
import * as Activity from "../activity/service.ts";
import type { Actor, Ctx } from "../context.ts";
import type { TaskItem } from "../db/index.ts";
import { invalidField } from "../errors.ts";
import * as Policy from "../policy/service.ts";
import * as Realtime from "../realtime/service.ts";
import * as TaskState from "../task/state.ts";
import * as Worker from "../worker/service.ts";
import { decide } from "./decide.ts";
import { type ChatMessageInfo, type PostMessageInput, toChatMessageInfo } from "./schema.ts";
import { assertHolds, compose, forbidden, keepSessionsAlive, needsMessage, senderOf } from "./speak.ts";
import * as Store from "./store.ts";
import { toPeople } from "./to-people.ts";

export type AskInput = Pick<PostMessageInput, "conversationId" | "message" | "kind" | "tool" | "input">;

/** What a request holds by its kind: a question its text; an approval also the tool and its input. */
const requestOf = ({ message, kind = "question", tool, input }: AskInput) => {
  const text = needsMessage(message);
  if (kind === "question") {
    if (tool !== undefined) throw invalidField("tool", "only an approval names a tool");
    if (input !== undefined) throw invalidField("input", "only an approval has an input");
    return { message: text, kind };
  }
  if (!tool) throw invalidField("tool", "required for an approval: the tool it asks to use");
  if (input === undefined) throw invalidField("input", "required for an approval: what the tool would do");
  return { message: text, kind, tool, input };
};

/** What the policy's rules match a request on. */
const factsOf = (task: TaskItem, asked: ReturnType<typeof requestOf>): Policy.RequestFacts => ({
  kind: asked.kind,
  text: asked.kind === "approval" ? asked.input : asked.message,
  tool: asked.kind === "approval" ? asked.tool : undefined,
  taskType: task.taskType,
  repository: task.repositoryUrl,
});

/**
 * The task a worker asks about, read while the worker is set waiting (one round trip for both):
 * the request opens only after, so whoever sees it pending sees the worker waiting. A worker
 * refused (no such task, or not its own) goes back to the status it had.
 */
const waitingOn = async (ctx: Ctx, workerId: string, taskId: string): Promise<TaskItem> => {
  const waiting = Worker.startWaiting(ctx, workerId);
  // Awaited below either way: never an unhandled rejection meanwhile.
  waiting.catch(() => {});
  try {
    const task = await TaskState.load(ctx, taskId);
    assertHolds(task, workerId);
    await waiting;
    return task;
  } catch (err) {
    const before = await waiting.catch(() => null);
    if (before && before !== "waiting") await Worker.setStatus(ctx, workerId, before, undefined, "waiting");
    throw err;
  }
};

/**
 * A worker asks about the task it holds, a question or leave to use a tool: the request opens
 * (the worker waits for it) and goes where the policy routes it: to the people watching, to a
 * rule's answer (at once), or to the controller. Only workers ask.
 */
const asking = async (ctx: Ctx, actor: Actor, input: AskInput): Promise<ChatMessageInfo> => {
  if (actor.role !== "worker") throw forbidden("Only workers ask clarification requests");
  const { message, ...asked } = requestOf(input);
  const task = await waitingOn(ctx, actor.principalId, input.conversationId);
  // Read while the request opens; awaited below or not at all (the writes failed).
  const route = Policy.route(ctx, factsOf(task, { message, ...asked }));
  route.catch(() => {});
  const request = { ...compose(ctx, senderOf(actor), task.id, message, "request"), ...asked };
  // Open before anyone can see it: an answer must find the question.
  await Promise.all([
    Store.putMessage(ctx, request),
    Store.openQuestion(ctx, {
      requestId: request.id,
      conversationId: task.id,
      workerId: actor.principalId,
      message: request.message,
      ...asked,
      createdAt: request.createdAt,
    }),
  ]);
  const info = toChatMessageInfo(request);
  const routed = await route;
  const told = routed.action === "human" ? toPeople(ctx, task, info) : null;
  // The rest once the push is on its way: setting up their requests would hold it.
  await nextTurn();
  await Promise.all([
    told,
    keepSessionsAlive(ctx, actor.principalId, task.id),
    Activity.record(ctx, {
      type: "chat.request",
      summary:
        asked.kind === "approval"
          ? `Approval of ${asked.tool} asked on "${task.title}"`
          : `Question on "${task.title}"`,
      taskId: task.id,
      workerId: actor.principalId,
    }),
  ]);
  await decide(ctx, routed, task, request);
  return info;
};

export const ask = (ctx: Ctx, actor: Actor, input: AskInput) =>
  Realtime.ahead(ctx, () => asking(ctx, actor, input));
