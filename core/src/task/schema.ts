import { z } from "zod";
import { TASK_STATUSES, TASK_TYPES } from "../db/enums.ts";
import { infoOf, mapperOf } from "../db/fields.ts";
import { taskAttributes } from "../db/task.fields.ts";
import { PageQuery } from "../page.ts";
import { PRIORITIES } from "../resources.ts";

export { CreateTaskInput } from "./input.ts";

/** A task as the API shows it: its stored fields. */
export const TaskInfo = infoOf(taskAttributes).meta({ id: "TaskInfo" });
export type TaskInfo = z.infer<typeof TaskInfo>;

export const UpdateTaskInput = z
  .object({
    title: z.string().trim().min(1).max(200).optional(),
    description: z.string().max(20_000).optional(),
    /** The only status a person sets directly; the queue moves tasks through the others. */
    status: z.literal("cancelled").optional(),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, {
    message: "Nothing to update: give title, description or status",
  });
export type UpdateTaskInput = z.infer<typeof UpdateTaskInput>;

export const ListTasksQuery = PageQuery.extend({
  status: z.enum(TASK_STATUSES).optional(),
  taskType: z.enum(TASK_TYPES).optional(),
  priority: z.enum(PRIORITIES).optional(),
});
export type ListTasksQuery = z.infer<typeof ListTasksQuery>;

export const toTaskInfo = mapperOf(TaskInfo, taskAttributes);
