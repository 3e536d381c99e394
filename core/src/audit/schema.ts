import { z } from "zod";
import { auditAttributes } from "../db/audit.fields.ts";
import { DECIDER_TYPES } from "../db/enums.ts";
import { infoOf, mapperOf } from "../db/fields.ts";
import { PageQuery } from "../page.ts";

/** One decision on a request, as the API shows it (the index copy of its decider's type is storage's). */
export const AuditInfo = infoOf(auditAttributes, ["deciderType"]).meta({ id: "AuditInfo" });
export type AuditInfo = z.infer<typeof AuditInfo>;

export const toAuditInfo = mapperOf(AuditInfo);

export const AuditQuery = PageQuery.extend({
  taskId: z.string().min(1).max(64).optional(),
  /** Only the decisions of people, rules or the controller. */
  type: z.enum(DECIDER_TYPES).optional(),
});
export type AuditQuery = z.infer<typeof AuditQuery>;
