import { Entity, type EntityConfiguration } from "electrodb";
import { fields } from "./fields.ts";
import { gsi, keyedBy, model } from "./keys.ts";

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
      model: model("activity"),
      attributes: activityAttributes,
      indexes: {
        primary: keyedBy("id"),
        timeline: gsi(1, [], ["createdAt", "id"]),
        byTask: gsi(2, ["taskId"], ["createdAt", "id"]),
      },
    },
    config,
  );
