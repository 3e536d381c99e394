import type { TaskType } from "@agentvine/core/db/enums";
import type { Priority } from "@agentvine/core/resources";
import { CreateTaskInput } from "@agentvine/core/task/input";

/** The create-task form as typed: every field a string, as the inputs hold them. */
export interface TaskFormValues {
  title: string;
  description: string;
  taskType: TaskType;
  priority: Priority;
  repositoryUrl: string;
  branchName: string;
}

export type TaskField = keyof TaskFormValues;

export const EMPTY_TASK_FORM: TaskFormValues = {
  title: "",
  description: "",
  taskType: "feature",
  priority: "normal",
  repositoryUrl: "",
  branchName: "",
};

/** Labels, which are also the fields' accessible names. */
export const TASK_FIELD_LABELS: Record<TaskField, string> = {
  title: "Title",
  description: "Description",
  taskType: "Type",
  priority: "Priority",
  repositoryUrl: "Repository URL",
  branchName: "Branch",
};

export const TASK_FIELDS = Object.keys(TASK_FIELD_LABELS) as TaskField[];

/** The API's input: empty optional fields are left out rather than sent as "". */
export const toCreateInput = (v: TaskFormValues): CreateTaskInput => ({
  title: v.title,
  description: v.description,
  taskType: v.taskType,
  priority: v.priority,
  ...(v.repositoryUrl.trim() ? { repositoryUrl: v.repositoryUrl.trim() } : {}),
  ...(v.branchName.trim() ? { branchName: v.branchName.trim() } : {}),
});

export type TaskFormResult =
  | { ok: true; input: CreateTaskInput }
  | { ok: false; errors: Partial<Record<TaskField, string>> };

/**
 * Validates with the API's own schema (CreateTaskInput from @agentvine/core), so the form
 * accepts exactly what the API accepts, with the API's messages.
 */
export const validateTaskForm = (values: TaskFormValues): TaskFormResult => {
  const parsed = CreateTaskInput.safeParse(toCreateInput(values));
  if (parsed.success) return { ok: true, input: parsed.data };
  return { ok: false, errors: fieldErrors(parsed.error.issues) };
};

/** Maps issues (or the API's details.fields) onto the form's fields; the first message wins. */
export const fieldErrors = (
  issues: { path: PropertyKey[]; message: string }[] | Record<string, string>,
): Partial<Record<TaskField, string>> => {
  const errors: Partial<Record<TaskField, string>> = {};
  const entries = Array.isArray(issues)
    ? issues.map((i) => [String(i.path[0] ?? ""), i.message] as const)
    : Object.entries(issues);
  for (const [field, message] of entries) {
    if ((TASK_FIELDS as string[]).includes(field)) errors[field as TaskField] ??= message;
  }
  return errors;
};
