import { sessionAttributes } from "./session.fields.ts";
import { byCreation, entity, gsi, keyedBy } from "./table.ts";

export const sessionEntity = entity("session", sessionAttributes, {
  primary: keyedBy("id"),
  byStatus: gsi(1, ["status"], byCreation),
  byWorker: gsi(2, ["workerId"], byCreation),
  timeline: gsi(3, [], byCreation),
});
