import { REQUEST_KINDS } from "./enums.ts";
import { fields } from "./fields.ts";
import { entity, gsi, keyedBy } from "./table.ts";

export const questionAttributes = fields({
  requestId: { type: "string", required: true },
  conversationId: { type: "string", required: true },
  workerId: { type: "string", required: true },
  message: { type: "string", required: true },
  /** Questions opened before approvals existed have no kind: they are questions. */
  kind: { type: REQUEST_KINDS },
  tool: { type: "string" },
  input: { type: "string" },
  createdAt: { type: "string", required: true },
});

/**
 * An unanswered request (a question, or an approval of a tool call). It exists exactly while the question is open: the
 * first answer deletes it with a conditional delete, so two people cannot both answer, and
 * the pending list is one query, oldest first.
 */
export const questionEntity = entity("question", questionAttributes, {
  primary: keyedBy("requestId"),
  pending: gsi(1, [], ["createdAt", "requestId"]),
  byConversation: gsi(2, ["conversationId"], ["requestId"]),
});
