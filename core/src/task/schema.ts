import { z } from "zod";
import { TASK_STATUSES, TASK_TYPES } from "../db/enums.ts";
import { infoOf, mapperOf } from "../db/fields.ts";
import { taskAttributes } from "../db/task.entity.ts";
import { PageQuery } from "../page.ts";
import { PRIORITIES } from "../resources.ts";

// A git branch name as `git check-ref-format --branch` would mostly accept it.
// No leading "-" either: the name is passed to git, which would read it as an option.
const BRANCH = /^(?![/-]|.*(?:\.\.|\/\/|@\{|\.lock$|\/$|\.$))[A-Za-z0-9._/-]+$/;

/** A task as the API shows it: its stored fields. */
export const TaskInfo = infoOf(taskAttributes);
export type TaskInfo = z.infer<typeof TaskInfo>;

export const CreateTaskInput = z.object({
  title: z.string().trim().min(1, "title is required").max(200),
  description: z.string().max(20_000).default(""),
  taskType: z.enum(TASK_TYPES).default("feature"),
  priority: z.enum(PRIORITIES).default("normal"),
  repositoryUrl: z
    .url({ protocol: /^(https?|ssh|git)$/, message: "repositoryUrl must be an http(s), ssh or git URL" })
    .max(2048)
    .optional(),
  branchName: z.string().max(255).regex(BRANCH, "branchName is not a valid git branch name").optional(),
});
export type CreateTaskInput = z.input<typeof CreateTaskInput>;

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

export const toTaskInfo = mapperOf(TaskInfo);
