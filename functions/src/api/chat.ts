import {
  ChatMessageInfo,
  ListMessagesQuery,
  PendingQuestion,
  PostMessageInput,
} from "@agentvine/core/chat/schema";
import * as Chat from "@agentvine/core/chat/service";
import { pageOf } from "@agentvine/core/page";
import { createRoute, z } from "@hono/zod-openapi";
import { allow, READERS } from "./auth.ts";
import { errorResponses } from "./errors.ts";
import { json, jsonBody, router, security } from "./router.ts";

const tags = ["Chat"];

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

const post = createRoute({
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
  .openapi(post, async (c) => c.json(await Chat.post(c.var.ctx, c.var.actor, c.req.valid("json")), 201))
  .openapi(pending, async (c) => c.json({ items: await Chat.pending(c.var.ctx) }, 200));
