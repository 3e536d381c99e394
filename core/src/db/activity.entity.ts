import { fields } from "./fields.ts";
import { byCreation, entity, gsi, keyedBy } from "./table.ts";

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
export const activityEntity = entity("activity", activityAttributes, {
  primary: keyedBy("id"),
  timeline: gsi(1, [], byCreation),
  byTask: gsi(2, ["taskId"], byCreation),
});
