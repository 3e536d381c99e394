import { z } from "zod";
import { chatMessageAttributes } from "../db/chat-message.entity.ts";
import { MESSAGE_TYPES } from "../db/enums.ts";
import { infoOf, mapperOf } from "../db/fields.ts";
import { PageQuery } from "../page.ts";

/** A named component of the OpenAPI document, so clients get a `ChatMessageInfo` type. */
export const ChatMessageInfo = infoOf(chatMessageAttributes).meta({ id: "ChatMessageInfo" });
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

export const toChatMessageInfo = mapperOf(ChatMessageInfo);
