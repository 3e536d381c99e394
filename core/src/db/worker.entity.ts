import { entity, gsi, keyedBy } from "./table.ts";
import { workerAttributes } from "./worker.fields.ts";

export const workerEntity = entity("worker", workerAttributes, {
  primary: keyedBy("id"),
  byHeartbeat: gsi(1, [], ["lastHeartbeatAt", "id"]),
});
