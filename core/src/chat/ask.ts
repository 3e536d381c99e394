import * as Activity from "../activity/service.ts";
import type { Actor, Ctx } from "../context.ts";
import * as Realtime from "../realtime/service.ts";
import * as TaskState from "../task/state.ts";
import * as Worker from "../worker/service.ts";
import { route } from "./router.ts";
import { type ChatMessageInfo, type PostMessageInput, toChatMessageInfo } from "./schema.ts";
import { assertHolds, compose, forbidden, keepSessionsAlive } from "./speak.ts";
import * as Store from "./store.ts";

export type AskInput = Pick<PostMessageInput, "conversationId" | "message">;

/**
 * A worker asks about the task it holds: the question opens (the worker waits for it) and goes
 * where the router sends it (phase 1: the people watching). Only workers ask.
 */
const asking = async (ctx: Ctx, actor: Actor, input: AskInput): Promise<ChatMessageInfo> => {
  if (actor.role !== "worker") throw forbidden("Only workers ask clarification requests");
  const task = await TaskState.load(ctx, input.conversationId);
  assertHolds(task, actor.principalId);
  const request = compose(ctx, actor, task.id, input.message, "request");
  // The worker waits first: whoever sees the question pending also sees the worker waiting.
  await Worker.setStatus(ctx, actor.principalId, "waiting");
  // Open before anyone can see it: an answer must find the question.
  await Promise.all([
    Store.putMessage(ctx, request),
    Store.openQuestion(ctx, {
      requestId: request.id,
      conversationId: task.id,
      workerId: actor.principalId,
      message: request.message,
      createdAt: request.createdAt,
    }),
  ]);
  const info = toChatMessageInfo(request);
  const to = route({ conversationId: task.id, workerId: actor.principalId, message: input.message }).to;
  await Promise.all([
    Realtime.publish(ctx, { type: "chat.message", data: info }, { humans: to === "humans" }),
    keepSessionsAlive(ctx, actor.principalId, task.id),
    Activity.record(ctx, {
      type: "chat.request",
      summary: `Question on "${task.title}"`,
      taskId: task.id,
      workerId: actor.principalId,
    }),
  ]);
  return info;
};

export const ask = (ctx: Ctx, actor: Actor, input: AskInput) =>
  Realtime.ahead(ctx, () => asking(ctx, actor, input));
