import { chatMessageAttributes } from "./chat-message.fields.ts";
import { entity } from "./table.ts";

export const chatMessageEntity = entity("chatMessage", chatMessageAttributes, {
  // A conversation's messages in order: ids are time-ordered (UUID v7).
  primary: {
    pk: { field: "pk", composite: ["conversationId"] },
    sk: { field: "sk", composite: ["id"] },
  },
});
