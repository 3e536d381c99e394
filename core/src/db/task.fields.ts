import { PRIORITIES } from "../resources.ts";
import { AGENTS, PERMISSION_MODES, TASK_STATUSES, TASK_TYPES } from "./enums.ts";
import { fields, timestamps } from "./fields.ts";

export const taskAttributes = fields({
  id: { type: "string", required: true },
  title: { type: "string", required: true },
  description: { type: "string", required: true, default: "" },
  taskType: { type: TASK_TYPES, required: true },
  status: { type: TASK_STATUSES, required: true },
  priority: { type: PRIORITIES, required: true },
  repositoryUrl: { type: "string" },
  branchName: { type: "string" },
  /** How the task runs: the agent and its limits. Tasks stored before agents existed read as the stub's. */
  agent: { type: AGENTS, required: true, default: "stub" },
  /** The agent's model; absent: the worker's default (AGENTVINE_CLAUDE_MODEL). */
  model: { type: "string" },
  permissionMode: { type: PERMISSION_MODES, required: true, default: "ask" },
  maxTurns: { type: "number" },
  maxBudgetUsd: { type: "number" },
  createdBy: { type: "string", required: true },
  ...timestamps,
  completedAt: { type: "string" },
  failureReason: { type: "string" },
  /** Why a completed run looks like it did nothing (empty output, no file changed); absent: nothing odd. */
  suspicious: { type: "string" },
  currentWorkOrderId: { type: "string" },
  workerId: { type: "string" },
});
