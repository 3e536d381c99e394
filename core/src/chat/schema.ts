import { z } from "zod";
import { chatMessageAttributes } from "../db/chat-message.fields.ts";
import { DECISIONS, MESSAGE_TYPES, REQUEST_KINDS } from "../db/enums.ts";
import { infoOf, mapperOf } from "../db/fields.ts";
import type { ChatMessageItem } from "../db/index.ts";
import { PageQuery } from "../page.ts";

/** A named component of the OpenAPI document, so clients get a `ChatMessageInfo` type. */
export const ChatMessageInfo = infoOf(chatMessageAttributes).meta({ id: "ChatMessageInfo" });
export type ChatMessageInfo = z.infer<typeof ChatMessageInfo>;

/** 16 KB keeps a message, wrapped in its event, well inside API Gateway's 128 KB frame. */
export const MAX_MESSAGE_CHARS = 16_000;
/** An approval's input is a summary of the tool call: enough to decide on, small enough to show. */
export const MAX_APPROVAL_INPUT_CHARS = 4000;

/**
 * One body for every intent (see the route): `kind`, `tool` and `input` belong to a request,
 * `decision` to the answer to an approval; a field sent with another intent is refused by name.
 * `message` is required but on the answer to an approval, where it defaults to "Allowed"/"Denied".
 */
export const PostMessageInput = z.object({
  conversationId: z.string().min(1).max(64),
  message: z.string().trim().min(1, "message is empty").max(MAX_MESSAGE_CHARS).optional(),
  messageType: z.enum(MESSAGE_TYPES),
  parentMessageId: z.string().min(1).max(64).optional(),
  /** A request's kind; a request without one is a question (clients from before approvals). */
  kind: z.enum(REQUEST_KINDS).optional(),
  /** The tool an approval is for, e.g. "Bash". */
  tool: z.string().trim().min(1, "tool is empty").max(200).optional(),
  /** What the tool would do: a JSON summary of its input. */
  input: z.string().max(MAX_APPROVAL_INPUT_CHARS).optional(),
  decision: z.enum(DECISIONS).optional(),
});
export type PostMessageInput = z.infer<typeof PostMessageInput>;

export const ListMessagesQuery = PageQuery.extend({
  conversationId: z.string().min(1).max(64),
  /** Conversations read in order (oldest first) unless asked otherwise. */
  order: z.enum(["asc", "desc"]).default("asc"),
});
export type ListMessagesQuery = z.infer<typeof ListMessagesQuery>;

const PendingQuestionFields = z.object({
  requestId: z.string(),
  conversationId: z.string(),
  taskId: z.string(),
  workerId: z.string(),
  message: z.string(),
  kind: z.enum(REQUEST_KINDS),
  /** An approval's tool and input; null on a question. */
  tool: z.string().nullable(),
  input: z.string().nullable(),
  createdAt: z.string(),
  waitingMs: z.number(),
});
/** A named component of the OpenAPI document, so clients get a `PendingQuestion` type. */
export const PendingQuestion = PendingQuestionFields.meta({ id: "PendingQuestion" });
export type PendingQuestion = z.infer<typeof PendingQuestion>;

const fieldsOf = mapperOf(ChatMessageInfo);

/** Requests stored before approvals existed carry no kind: they were questions. */
export const toChatMessageInfo = (m: ChatMessageItem): ChatMessageInfo => ({
  ...fieldsOf(m),
  kind: m.kind ?? (m.messageType === "request" ? "question" : null),
});
