import { Entity, type EntityConfiguration } from "electrodb";
import { SESSION_STATUSES } from "./enums.ts";
import { fields } from "./fields.ts";

export const sessionAttributes = fields({
  id: { type: "string", required: true },
  sessionId: { type: "string", required: true },
  workerId: { type: "string", required: true },
  taskId: { type: "string" },
  executionId: { type: "string" },
  status: { type: SESSION_STATUSES, required: true },
  lastActivityAt: { type: "string", required: true },
  createdAt: { type: "string", required: true },
  updatedAt: { type: "string", required: true },
  terminatedAt: { type: "string" },
  terminationReason: { type: "string" },
});

export const sessionEntity = (config: EntityConfiguration) =>
  new Entity(
    {
      model: { entity: "session", version: "1", service: "agentvine" },
      attributes: sessionAttributes,
      indexes: {
        primary: { pk: { field: "pk", composite: ["id"] }, sk: { field: "sk", composite: [] } },
        byStatus: {
          index: "gsi1",
          pk: { field: "gsi1pk", composite: ["status"] },
          sk: { field: "gsi1sk", composite: ["createdAt", "id"] },
        },
        byWorker: {
          index: "gsi2",
          pk: { field: "gsi2pk", composite: ["workerId"] },
          sk: { field: "gsi2sk", composite: ["createdAt", "id"] },
        },
        timeline: {
          index: "gsi3",
          pk: { field: "gsi3pk", composite: [] },
          sk: { field: "gsi3sk", composite: ["createdAt", "id"] },
        },
      },
    },
    config,
  );
