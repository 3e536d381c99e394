import { z } from "zod";
import { executionAttributes } from "../db/execution.entity.ts";
import { infoOf, mapperOf } from "../db/fields.ts";

export const ExecutionInfo = infoOf(executionAttributes);
export type ExecutionInfo = z.infer<typeof ExecutionInfo>;

export const toExecutionInfo = mapperOf(ExecutionInfo);

export const ProgressInput = z.object({
  progress: z.number().min(0).max(100),
  step: z.string().trim().max(500).optional(),
});
export type ProgressInput = z.infer<typeof ProgressInput>;
