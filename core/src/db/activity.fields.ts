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
