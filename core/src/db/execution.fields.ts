import { EXECUTION_STATUSES } from "./enums.ts";
import { fields } from "./fields.ts";

export const executionAttributes = fields({
  id: { type: "string", required: true },
  taskId: { type: "string", required: true },
  workOrderId: { type: "string", required: true },
  workerId: { type: "string", required: true },
  sessionId: { type: "string", required: true },
  status: { type: EXECUTION_STATUSES, required: true },
  /** The parked execution this one resumes (same agent session, continued on another work order). */
  resumedFrom: { type: "string" },
  progress: { type: "number", required: true, default: 0 },
  step: { type: "string" },
  startedAt: { type: "string", required: true },
  updatedAt: { type: "string", required: true },
  completedAt: { type: "string" },
  output: { type: "string", required: true, default: "" },
  outputTruncated: { type: "boolean", required: true, default: false },
  // The agent's report, when it sends one (the stub does not): what the run cost and produced.
  costUsd: { type: "number" },
  inputTokens: { type: "number" },
  outputTokens: { type: "number" },
  turns: { type: "number" },
  durationMs: { type: "number" },
  /** What the agent said and did, bounded like the output. */
  transcript: { type: "string" },
  transcriptTruncated: { type: "boolean" },
  /** The branch it delivered, its commit, and why the push was refused if it was. */
  branch: { type: "string" },
  commitSha: { type: "string" },
  pushError: { type: "string" },
  files: {
    type: "list",
    items: {
      type: "map",
      properties: {
        path: { type: "string", required: true },
        added: { type: "number", required: true },
        removed: { type: "number", required: true },
      },
    },
  },
  /** The unified diff against the commit it started from, bounded. */
  diff: { type: "string" },
  diffTruncated: { type: "boolean" },
});
