import { Entity, type EntityConfiguration } from "electrodb";
import { PRIORITIES } from "../resources.ts";
import { AGENTS, PERMISSION_MODES, TASK_STATUSES, TASK_TYPES } from "./enums.ts";
import { fields } from "./fields.ts";

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
  createdAt: { type: "string", required: true },
  updatedAt: { type: "string", required: true },
  completedAt: { type: "string" },
  failureReason: { type: "string" },
  currentWorkOrderId: { type: "string" },
  workerId: { type: "string" },
});

export const taskEntity = (config: EntityConfiguration) =>
  new Entity(
    {
      model: { entity: "task", version: "1", service: "agentvine" },
      attributes: taskAttributes,
      indexes: {
        primary: { pk: { field: "pk", composite: ["id"] }, sk: { field: "sk", composite: [] } },
        byStatus: {
          index: "gsi1",
          pk: { field: "gsi1pk", composite: ["status"] },
          sk: { field: "gsi1sk", composite: ["createdAt", "id"] },
        },
        byType: {
          index: "gsi2",
          pk: { field: "gsi2pk", composite: ["taskType"] },
          sk: { field: "gsi2sk", composite: ["createdAt", "id"] },
        },
        // All tasks, newest first. One partition per table: fine at the volumes of a team's
        // agent fleet (DynamoDB gives a partition 1,000 writes/s); shard by month if it is not.
        timeline: {
          index: "gsi3",
          pk: { field: "gsi3pk", composite: [] },
          sk: { field: "gsi3sk", composite: ["createdAt", "id"] },
        },
      },
    },
    config,
  );
