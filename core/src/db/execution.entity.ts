import { executionAttributes } from "./execution.fields.ts";
import { entity, gsi, keyedBy } from "./table.ts";

export const executionEntity = entity("execution", executionAttributes, {
  primary: keyedBy("id"),
  byTask: gsi(1, ["taskId"], ["startedAt", "id"]),
});
