import { DECIDER_TYPES, DECISIONS, MESSAGE_TYPES, REQUEST_KINDS, SENDER_TYPES } from "./enums.ts";
import { fields } from "./fields.ts";

export const chatMessageAttributes = fields({
  id: { type: "string", required: true },
  conversationId: { type: "string", required: true },
  senderType: { type: SENDER_TYPES, required: true },
  senderId: { type: "string", required: true },
  message: { type: "string", required: true },
  messageType: { type: MESSAGE_TYPES, required: true },
  parentMessageId: { type: "string" },
  /** On a request: a question, or an approval of a tool call (its name and a JSON summary of its input). */
  kind: { type: REQUEST_KINDS },
  tool: { type: "string" },
  input: { type: "string" },
  /** On the answer to an approval. */
  decision: { type: DECISIONS },
  /** On a response: who decided it, a person (their token's id), a policy rule (its id) or the controller (its model). */
  decidedBy: {
    type: "map",
    properties: { type: { type: DECIDER_TYPES, required: true }, id: { type: "string", required: true } },
  },
  createdAt: { type: "string", required: true },
  /** On a request: when and by which message it was answered. */
  answeredAt: { type: "string" },
  answerId: { type: "string" },
  /** On a request: closed unanswered because its work ended (failed, reaped, released). */
  closedAt: { type: "string" },
  closedReason: { type: "string" },
});
