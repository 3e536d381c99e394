import { entity, gsi, keyedBy } from "./table.ts";
import { workOrderAttributes } from "./work-order.fields.ts";

export const workOrderEntity = entity("workOrder", workOrderAttributes, {
  primary: keyedBy("id"),
  byStatus: gsi(1, ["status"], ["enqueuedAt", "id"]),
  byTask: gsi(2, ["taskId"], ["enqueuedAt", "id"]),
});
