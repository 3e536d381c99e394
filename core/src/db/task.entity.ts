import { byCreation, entity, gsi, keyedBy } from "./table.ts";
import { taskAttributes } from "./task.fields.ts";

export const taskEntity = entity("task", taskAttributes, {
  primary: keyedBy("id"),
  byStatus: gsi(1, ["status"], byCreation),
  byType: gsi(2, ["taskType"], byCreation),
  // All tasks, newest first. One partition per table: fine at the volumes of a team's
  // agent fleet (DynamoDB gives a partition 1,000 writes/s); shard by month if it is not.
  timeline: gsi(3, [], byCreation),
});
