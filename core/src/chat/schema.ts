import { z } from "zod";
import { MESSAGE_TYPES, SENDER_TYPES } from "../db/enums.ts";
import type { ChatMessageItem } from "../db/index.ts";
import { PageQuery } from "../page.ts";

const ChatMessageInfoFields = z.object({
  id: z.string(),
  conversationId: z.string(),
  senderType: z.enum(SENDER_TYPES),
  senderId: z.string(),
  message: z.string(),
  messageType: z.enum(MESSAGE_TYPES),
  parentMessageId: z.string().nullable(),
  createdAt: z.string(),
  answeredAt: z.string().nullable(),
  answerId: z.string().nullable(),
  closedAt: z.string().nullable(),
  closedReason: z.string().nullable(),
});
/** A named component of the OpenAPI document, so clients get a `ChatMessageInfo` type. */
export const ChatMessageInfo = ChatMessageInfoFields.meta({ id: "ChatMessageInfo" });
export type ChatMessageInfo = z.infer<typeof ChatMessageInfo>;

/** 16 KB keeps a message, wrapped in its event, well inside API Gateway's 128 KB frame. */
export const MAX_MESSAGE_CHARS = 16_000;

export const PostMessageInput = z.object({
  conversationId: z.string().min(1).max(64),
  message: z.string().trim().min(1, "message is empty").max(MAX_MESSAGE_CHARS),
  messageType: z.enum(MESSAGE_TYPES),
  parentMessageId: z.string().min(1).max(64).optional(),
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
  createdAt: z.string(),
  waitingMs: z.number(),
});
/** A named component of the OpenAPI document, so clients get a `PendingQuestion` type. */
export const PendingQuestion = PendingQuestionFields.meta({ id: "PendingQuestion" });
export type PendingQuestion = z.infer<typeof PendingQuestion>;

export const toChatMessageInfo = (m: ChatMessageItem): ChatMessageInfo => ({
  id: m.id,
  conversationId: m.conversationId,
  senderType: m.senderType,
  senderId: m.senderId,
  message: m.message,
  messageType: m.messageType,
  parentMessageId: m.parentMessageId ?? null,
  createdAt: m.createdAt,
  answeredAt: m.answeredAt ?? null,
  answerId: m.answerId ?? null,
  closedAt: m.closedAt ?? null,
  closedReason: m.closedReason ?? null,
});
