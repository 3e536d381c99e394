import { z } from "zod";

export const ActivityInfo = z.object({
  id: z.string(),
  type: z.string(),
  summary: z.string(),
  taskId: z.string().optional(),
  workerId: z.string().optional(),
  sessionId: z.string().optional(),
  createdAt: z.string(),
});
export type ActivityInfo = z.infer<typeof ActivityInfo>;
