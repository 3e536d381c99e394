import { z } from "zod";
import { TASK_TYPES } from "../db/enums.ts";
import { PRIORITIES } from "../resources.ts";

/**
 * What creating a task takes. A module of its own, importing only zod and constants, because
 * the web UI validates its form with this very schema and must not bundle the data layer.
 */

// A git branch name as `git check-ref-format --branch` would mostly accept it.
// No leading "-" either: the name is passed to git, which would read it as an option.
const BRANCH = /^(?![/-]|.*(?:\.\.|\/\/|@\{|\.lock$|\/$|\.$))[A-Za-z0-9._/-]+$/;

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
