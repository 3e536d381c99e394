import { SESSION_STATUSES } from "./enums.ts";
import { fields } from "./fields.ts";
import { entity, gsi, keyedBy } from "./table.ts";

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

export const sessionEntity = entity("session", {
  attributes: sessionAttributes,
  indexes: {
    primary: keyedBy("id"),
    byStatus: gsi(1, ["status"], ["createdAt", "id"]),
    byWorker: gsi(2, ["workerId"], ["createdAt", "id"]),
    timeline: gsi(3, [], ["createdAt", "id"]),
  },
});
