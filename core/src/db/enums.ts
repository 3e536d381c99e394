/** Enumerations shared by the entities, the API schemas and the web client. */
export const TASK_TYPES = ["feature", "bugfix", "test", "docs"] as const;
/** "waiting": parked on a person (a question or an approval); no worker holds it. */
export const TASK_STATUSES = [
  "queued",
  "in_progress",
  "waiting",
  "completed",
  "failed",
  "cancelled",
] as const;
export const WORKER_STATUSES = ["idle", "busy", "waiting", "error", "offline"] as const;
/** "parked": its agent's state is saved in the blob store until an answer resumes it on any worker. */
export const SESSION_STATUSES = ["active", "idle", "parked", "terminated"] as const;
/** "parked": this attempt ended by parking; the answer resumes the task as a new work order. */
export const WORK_ORDER_STATUSES = ["queued", "claimed", "parked", "completed", "failed"] as const;
export const SENDER_TYPES = ["worker", "human", "system"] as const;
export const MESSAGE_TYPES = ["request", "response", "status"] as const;
export const EXECUTION_STATUSES = ["running", "parked", "completed", "failed"] as const;
/** The agents a worker can run a task with (the worker's executor registry has one entry each). */
export const AGENTS = ["stub", "claude-code"] as const;
/** What an agent may do without asking: "ask" everything that changes something, "acceptEdits" asks for commands only, "bypass" asks nothing. */
export const PERMISSION_MODES = ["ask", "acceptEdits", "bypass"] as const;
/** What a request message asks for: an answer to a question, or leave to use a tool. */
export const REQUEST_KINDS = ["question", "approval"] as const;
export const DECISIONS = ["allow", "deny"] as const;
export const HUMAN_ROLES = ["admin", "operator", "viewer"] as const;
export const ROLES = [...HUMAN_ROLES, "worker"] as const;

export type TaskType = (typeof TASK_TYPES)[number];
export type TaskStatus = (typeof TASK_STATUSES)[number];
export type WorkerStatus = (typeof WORKER_STATUSES)[number];
export type SessionStatus = (typeof SESSION_STATUSES)[number];
export type WorkOrderStatus = (typeof WORK_ORDER_STATUSES)[number];
export type SenderType = (typeof SENDER_TYPES)[number];
export type MessageType = (typeof MESSAGE_TYPES)[number];
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];
export type Agent = (typeof AGENTS)[number];
export type PermissionMode = (typeof PERMISSION_MODES)[number];
export type RequestKind = (typeof REQUEST_KINDS)[number];
export type Decision = (typeof DECISIONS)[number];
export type HumanRole = (typeof HUMAN_ROLES)[number];
export type Role = (typeof ROLES)[number];
