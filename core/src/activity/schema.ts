import { z } from "zod";

const ActivityInfoFields = z.object({
  id: z.string(),
  type: z.string(),
  summary: z.string(),
  taskId: z.string().optional(),
  workerId: z.string().optional(),
  sessionId: z.string().optional(),
  createdAt: z.string(),
});
/** A named component of the OpenAPI document, so clients get a `ActivityInfo` type. */
export const ActivityInfo = ActivityInfoFields.meta({ id: "ActivityInfo" });
export type ActivityInfo = z.infer<typeof ActivityInfo>;
