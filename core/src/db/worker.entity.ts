import { Entity, type EntityConfiguration } from "electrodb";
import { WORKER_STATUSES } from "./enums.ts";
import { fields } from "./fields.ts";

export const workerAttributes = fields({
  id: { type: "string", required: true },
  name: { type: "string", required: true },
  status: { type: WORKER_STATUSES, required: true },
  lastHeartbeatAt: { type: "string", required: true },
  createdAt: { type: "string", required: true },
  updatedAt: { type: "string", required: true },
  currentTaskId: { type: "string" },
  currentWorkOrderId: { type: "string" },
  /** Where it runs, so an operator can find it: host and pid, or the ECS task ARN. */
  host: { type: "string" },
  pid: { type: "number" },
  runtimeId: { type: "string" },
});

export const workerEntity = (config: EntityConfiguration) =>
  new Entity(
    {
      model: { entity: "worker", version: "1", service: "agentvine" },
      attributes: workerAttributes,
      indexes: {
        primary: { pk: { field: "pk", composite: ["id"] }, sk: { field: "sk", composite: [] } },
        byHeartbeat: {
          index: "gsi1",
          pk: { field: "gsi1pk", composite: [] },
          sk: { field: "gsi1sk", composite: ["lastHeartbeatAt", "id"] },
        },
      },
    },
    config,
  );
