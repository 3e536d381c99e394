import { z } from "zod";
import { EXECUTION_STATUSES } from "../db/enums.ts";
import type { ExecutionItem } from "../db/index.ts";

const ExecutionInfoFields = z.object({
  id: z.string(),
  taskId: z.string(),
  workOrderId: z.string(),
  workerId: z.string(),
  sessionId: z.string(),
  status: z.enum(EXECUTION_STATUSES),
  progress: z.number(),
  step: z.string().nullable(),
  startedAt: z.string(),
  updatedAt: z.string(),
  completedAt: z.string().nullable(),
  output: z.string(),
  outputTruncated: z.boolean(),
});
/** A named component of the OpenAPI document, so clients get a `ExecutionInfo` type. */
export const ExecutionInfo = ExecutionInfoFields.meta({ id: "ExecutionInfo" });
export type ExecutionInfo = z.infer<typeof ExecutionInfo>;

export const toExecutionInfo = (e: ExecutionItem): ExecutionInfo => ({
  ...e,
  step: e.step ?? null,
  completedAt: e.completedAt ?? null,
});

export const ProgressInput = z.object({
  progress: z.number().min(0).max(100),
  step: z.string().trim().max(500).optional(),
});
export type ProgressInput = z.infer<typeof ProgressInput>;
