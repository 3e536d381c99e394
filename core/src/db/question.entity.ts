import { Entity, type EntityConfiguration } from "electrodb";
import { fields } from "./fields.ts";

export const questionAttributes = fields({
  requestId: { type: "string", required: true },
  conversationId: { type: "string", required: true },
  workerId: { type: "string", required: true },
  message: { type: "string", required: true },
  createdAt: { type: "string", required: true },
});

/**
 * An unanswered clarification request. It exists exactly while the question is open: the
 * first answer deletes it with a conditional delete, so two people cannot both answer, and
 * the pending list is one query, oldest first.
 */
export const questionEntity = (config: EntityConfiguration) =>
  new Entity(
    {
      model: { entity: "question", version: "1", service: "agentvine" },
      attributes: questionAttributes,
      indexes: {
        primary: { pk: { field: "pk", composite: ["requestId"] }, sk: { field: "sk", composite: [] } },
        pending: {
          index: "gsi1",
          pk: { field: "gsi1pk", composite: [] },
          sk: { field: "gsi1sk", composite: ["createdAt", "requestId"] },
        },
        byConversation: {
          index: "gsi2",
          pk: { field: "gsi2pk", composite: ["conversationId"] },
          sk: { field: "gsi2sk", composite: ["requestId"] },
        },
      },
    },
    config,
  );
