import { Entity, type EntityConfiguration } from "electrodb";
import { fields } from "./fields.ts";

export const activityAttributes = fields({
  id: { type: "string", required: true },
  type: { type: "string", required: true },
  summary: { type: "string", required: true },
  taskId: { type: "string" },
  workerId: { type: "string" },
  sessionId: { type: "string" },
  createdAt: { type: "string", required: true },
  expiresAt: { type: "number", required: true },
});

/** One line of the activity timeline (and of a task's history); expires after a week. */
export const activityEntity = (config: EntityConfiguration) =>
  new Entity(
    {
      model: { entity: "activity", version: "1", service: "agentvine" },
      attributes: activityAttributes,
      indexes: {
        primary: { pk: { field: "pk", composite: ["id"] }, sk: { field: "sk", composite: [] } },
        timeline: {
          index: "gsi1",
          pk: { field: "gsi1pk", composite: [] },
          sk: { field: "gsi1sk", composite: ["createdAt", "id"] },
        },
        byTask: {
          index: "gsi2",
          pk: { field: "gsi2pk", composite: ["taskId"] },
          sk: { field: "gsi2sk", composite: ["createdAt", "id"] },
        },
      },
    },
    config,
  );
