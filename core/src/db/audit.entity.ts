import { auditAttributes } from "./audit.fields.ts";
import { byCreation, entity, gsi, keyedBy } from "./table.ts";

/** One decision on a request, kept for accountability (no expiry). */
export const auditEntity = entity("audit", auditAttributes, {
  primary: keyedBy("id"),
  timeline: gsi(1, [], byCreation),
  byTask: gsi(2, ["taskId"], byCreation),
  byDecider: gsi(3, ["deciderType"], byCreation),
});
