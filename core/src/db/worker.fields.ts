import { WORKER_STATUSES } from "./enums.ts";
import { fields, timestamps } from "./fields.ts";

export const workerAttributes = fields({
  id: { type: "string", required: true },
  name: { type: "string", required: true },
  status: { type: WORKER_STATUSES, required: true },
  lastHeartbeatAt: { type: "string", required: true },
  ...timestamps,
  currentTaskId: { type: "string" },
  currentWorkOrderId: { type: "string" },
  /** Where it runs, so an operator can find it: host and pid, or the ECS task ARN. */
  host: { type: "string" },
  pid: { type: "number" },
  runtimeId: { type: "string" },
});
