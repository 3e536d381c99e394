import {
  ChatMessageInfo,
  ListMessagesQuery,
  PendingQuestion,
  PostMessageInput,
} from "@agentvine/core/chat/schema";
import * as Chat from "@agentvine/core/chat/service";
import type { Actor, Ctx } from "@agentvine/core/context";
import { invalidField } from "@agentvine/core/errors";
import { pageOf } from "@agentvine/core/page";
import { createRoute, z } from "@hono/zod-openapi";
import { allow, READERS } from "./auth.ts";
import { errorResponses } from "./errors.ts";
import { json, jsonBody, router, security } from "./router.ts";

const tags = ["Chat"];

/** One route, three intents: the message type says which (a response needs the request it answers). */
const post = (ctx: Ctx, actor: Actor, { messageType, parentMessageId, ...input }: PostMessageInput) => {
  if (messageType === "response") {
    if (!parentMessageId)
      throw invalidField("parentMessageId", "required for a response: the request it answers");
    return Chat.answer(ctx, actor, { ...input, parentMessageId });
  }
  if (parentMessageId) throw invalidField("parentMessageId", `only a response has one, not a ${messageType}`);
  return messageType === "request" ? Chat.ask(ctx, actor, input) : Chat.note(ctx, actor, input);
};

const list = createRoute({
  method: "get",
  path: "/chat/messages",
  tags,
  security,
  summary: "A conversation's messages (conversationId = the task's id), oldest first",
  middleware: [allow(...READERS)] as const,
  request: { query: ListMessagesQuery },
  responses: { 200: json(pageOf(ChatMessageInfo), "A page of messages"), ...errorResponses },
});

const postRoute = createRoute({
  method: "post",
  path: "/chat/messages",
  tags,
  security,
  summary: "Post as the token's owner: workers ask (request), people answer (response with parentMessageId)",
  middleware: [allow("admin", "operator", "worker")] as const,
  request: jsonBody(PostMessageInput),
  responses: { 201: json(ChatMessageInfo, "The message"), ...errorResponses },
});

const pending = createRoute({
  method: "get",
  path: "/chat/pending",
  tags,
  security,
  summary: "Unanswered clarification requests, oldest first",
  middleware: [allow(...READERS)] as const,
  responses: {
    200: json(z.object({ items: z.array(PendingQuestion) }), "Open questions"),
    ...errorResponses,
  },
});

export const chat = router()
  .openapi(list, async (c) => c.json(await Chat.list(c.var.ctx, c.req.valid("query")), 200))
  .openapi(postRoute, async (c) => c.json(await post(c.var.ctx, c.var.actor, c.req.valid("json")), 201))
  .openapi(pending, async (c) => c.json({ items: await Chat.pending(c.var.ctx) }, 200));
