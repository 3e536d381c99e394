import { z } from "zod";
import { executionAttributes } from "../db/execution.entity.ts";
import { infoOf, mapperOf } from "../db/fields.ts";

/** A named component of the OpenAPI document, so clients get a `ExecutionInfo` type. */
export const ExecutionInfo = infoOf(executionAttributes).meta({ id: "ExecutionInfo" });
export type ExecutionInfo = z.infer<typeof ExecutionInfo>;

export const toExecutionInfo = mapperOf(ExecutionInfo);

export const ProgressInput = z.object({
  progress: z.number().min(0).max(100),
  step: z.string().trim().max(500).optional(),
});
export type ProgressInput = z.infer<typeof ProgressInput>;
