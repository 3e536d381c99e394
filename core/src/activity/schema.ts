import { activityAttributes } from "../db/activity.fields.ts";
import { infoOf, mapperOf } from "../db/fields.ts";

/** A timeline line as the API shows it; its TTL is storage's business. */
export const ActivityInfo = infoOf(activityAttributes, ["expiresAt"]).meta({ id: "ActivityInfo" });
export type ActivityInfo = import("zod").infer<typeof ActivityInfo>;

export const toActivityInfo = mapperOf(ActivityInfo);
