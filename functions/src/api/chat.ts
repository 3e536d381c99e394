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
import { z } from "@hono/zod-openapi";
import { READERS } from "./auth.ts";
import { json, jsonBody, router, routesOf } from "./router.ts";

const route = routesOf("Chat");

/** Fields that belong to another intent are refused by name rather than ignored. */
const refuse = (fields: Record<string, unknown>, why: string) => {
  const sent = Object.keys(fields).find((name) => fields[name] !== undefined);
  if (sent) throw invalidField(sent, why);
};

/** One route, three intents: the message type says which (a response needs the request it answers). */
const post = (ctx: Ctx, actor: Actor, body: PostMessageInput) => {
  const { messageType, parentMessageId, kind, tool, input, decision, ...common } = body;
  if (messageType === "response") {
    if (!parentMessageId)
      throw invalidField("parentMessageId", "required for a response: the request it answers");
    refuse({ kind, tool, input }, "only a request has one, not a response");
    return Chat.answer(ctx, actor, { ...common, parentMessageId, decision });
  }
  if (parentMessageId) throw invalidField("parentMessageId", `only a response has one, not a ${messageType}`);
  refuse({ decision }, `only the answer to an approval has one, not a ${messageType}`);
  if (messageType === "request") return Chat.ask(ctx, actor, { ...common, kind, tool, input });
  refuse({ kind, tool, input }, "only a request has one, not a status message");
  return Chat.note(ctx, actor, common);
};

const list = route({
  method: "get",
  path: "/chat/messages",
  summary: "A conversation's messages (conversationId = the task's id), oldest first",
  roles: READERS,
  request: { query: ListMessagesQuery },
  responses: { 200: json(pageOf(ChatMessageInfo), "A page of messages") },
});

const postRoute = route({
  method: "post",
  path: "/chat/messages",
  summary:
    "Post as the token's owner: workers ask (request: a question, or an approval with tool and input), people answer (response with parentMessageId; decision for an approval)",
  roles: ["admin", "operator", "worker"],
  request: jsonBody(PostMessageInput),
  responses: { 201: json(ChatMessageInfo, "The message") },
});

const pending = route({
  method: "get",
  path: "/chat/pending",
  summary: "Unanswered requests (questions and approvals), oldest first",
  roles: READERS,
  responses: {
    200: json(z.object({ items: z.array(PendingQuestion) }), "Open questions"),
  },
});

export const chat = router()
  .openapi(list, async (c) => c.json(await Chat.list(c.var.ctx, c.req.valid("query")), 200))
  .openapi(postRoute, async (c) => c.json(await post(c.var.ctx, c.var.actor, c.req.valid("json")), 201))
  .openapi(pending, async (c) => c.json({ items: await Chat.pending(c.var.ctx) }, 200));
