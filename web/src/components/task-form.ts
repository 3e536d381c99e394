import type { RequestBody } from "@agentvine/client";
import type { TaskType } from "@agentvine/core/db/enums";
import type { Priority } from "@agentvine/core/resources";
import { CreateTaskInput } from "@agentvine/core/task/input";

/** What POST /tasks takes. */
export type NewTask = RequestBody<"/api/v1/tasks", "post">;
export type Agent = NonNullable<NewTask["agent"]>;
export type PermissionMode = NonNullable<NewTask["permissionMode"]>;

/** The create-task form as typed: every field a string, as the inputs hold them. */
export interface TaskFormValues {
  title: string;
  description: string;
  taskType: TaskType;
  priority: Priority;
  repositoryUrl: string;
  branchName: string;
  /** "" leaves the choice to the server (its default agent). */
  agent: Agent | "";
  model: string;
  permissionMode: PermissionMode;
  maxTurns: string;
  maxBudgetUsd: string;
}

export type TaskField = keyof TaskFormValues;

export const EMPTY_TASK_FORM: TaskFormValues = {
  title: "",
  description: "",
  taskType: "feature",
  priority: "normal",
  repositoryUrl: "",
  branchName: "",
  agent: "",
  model: "",
  permissionMode: "ask",
  maxTurns: "",
  maxBudgetUsd: "",
};

/** Labels, which are also the fields' accessible names. */
export const TASK_FIELD_LABELS: Record<TaskField, string> = {
  title: "Title",
  description: "Description",
  taskType: "Type",
  priority: "Priority",
  repositoryUrl: "Repository URL",
  branchName: "Branch",
  agent: "Agent",
  model: "Model",
  permissionMode: "Permissions",
  maxTurns: "Max turns",
  maxBudgetUsd: "Budget (USD)",
};

/** Every agent the API knows, in words (a Record, so a new agent fails the typecheck until named). */
export const AGENT_LABELS: Record<Agent, string> = {
  stub: "Stub (scripted, for tests)",
  "claude-code": "Claude Code",
};

export const PERMISSION_LABELS: Record<PermissionMode, string> = {
  ask: "Ask before each tool call",
  acceptEdits: "Accept file edits, ask for the rest",
  bypass: "Allow everything (no approvals)",
};

export const TASK_FIELDS = Object.keys(TASK_FIELD_LABELS) as TaskField[];

const trimmed = <K extends string>(key: K, value: string) =>
  value.trim() ? ({ [key]: value.trim() } as Record<K, string>) : {};
/** A number field: left out when empty; what is not a number stays NaN so the schema names the field. */
const numeric = <K extends string>(key: K, value: string) =>
  value.trim() ? ({ [key]: Number(value) } as Record<K, number>) : {};

/** The API's input: empty optional fields are left out rather than sent as "". */
export const toCreateInput = (v: TaskFormValues): NewTask => ({
  title: v.title,
  description: v.description,
  taskType: v.taskType,
  priority: v.priority,
  ...trimmed("repositoryUrl", v.repositoryUrl),
  ...trimmed("branchName", v.branchName),
  ...(v.agent ? { agent: v.agent } : {}),
  ...trimmed("model", v.model),
  permissionMode: v.permissionMode,
  ...numeric("maxTurns", v.maxTurns),
  ...numeric("maxBudgetUsd", v.maxBudgetUsd),
});

export type TaskFormResult =
  | { ok: true; input: NewTask }
  | { ok: false; errors: Partial<Record<TaskField, string>> };

/**
 * Validates with the API's own schema (CreateTaskInput from @agentvine/core), so the form
 * accepts exactly what the API accepts, with the API's messages. The parsed value goes over
 * the form's own, so a field the schema does not (yet) know is still sent.
 */
export const validateTaskForm = (values: TaskFormValues): TaskFormResult => {
  const input = toCreateInput(values);
  const parsed = CreateTaskInput.safeParse(input);
  if (parsed.success) return { ok: true, input: { ...input, ...parsed.data } };
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
