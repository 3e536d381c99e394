import { activityAttributes } from "./activity.fields.ts";
import { byCreation, entity, gsi, keyedBy } from "./table.ts";

/** One line of the activity timeline (and of a task's history); expires after a week. */
export const activityEntity = entity("activity", activityAttributes, {
  primary: keyedBy("id"),
  timeline: gsi(1, [], byCreation),
  byTask: gsi(2, ["taskId"], byCreation),
});
