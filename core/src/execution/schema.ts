import { z } from "zod";
import { executionAttributes } from "../db/execution.fields.ts";
import { infoOf, mapperOf } from "../db/fields.ts";
import { PageQuery } from "../page.ts";

/** A named component of the OpenAPI document, so clients get a `ExecutionInfo` type. */
export const ExecutionInfo = infoOf(executionAttributes).meta({ id: "ExecutionInfo" });
export type ExecutionInfo = z.infer<typeof ExecutionInfo>;

export const toExecutionInfo = mapperOf(ExecutionInfo, executionAttributes);

/**
 * A page of a task's executions. Each can hold ~250 KB (output, transcript, diff, files), so
 * a page holds at most 20: the reply stays under Lambda's 6 MB.
 */
export const ListExecutionsQuery = PageQuery.extend({
  limit: z.coerce.number().int().min(1).max(20).default(10),
});

export const ProgressInput = z.object({
  progress: z.number().min(0).max(100),
  step: z.string().trim().max(500).optional(),
});
export type ProgressInput = z.infer<typeof ProgressInput>;

const count = z.number().int().nonnegative();
// Generous limits: the API cuts long text to what it keeps (and says so) rather than refuse a
// finished run's report; these only stop absurd bodies.
const text = (max: number) => z.string().max(max);

const ExecutionReportFields = z.object({
  costUsd: z.number().nonnegative().optional(),
  inputTokens: count.optional(),
  outputTokens: count.optional(),
  turns: count.optional(),
  durationMs: z.number().nonnegative().optional(),
  transcript: text(1_000_000).optional(),
  transcriptTruncated: z.boolean().optional(),
  branch: z.string().min(1).max(255).optional(),
  commitSha: z
    .string()
    .regex(/^[0-9a-f]{7,64}$/, "commitSha must be a hexadecimal commit id")
    .optional(),
  pushError: text(100_000).optional(),
  files: z
    .array(z.object({ path: z.string().min(1).max(4096), added: count, removed: count }))
    .max(100_000)
    .optional(),
  diff: text(1_000_000).optional(),
  diffTruncated: z.boolean().optional(),
});
/**
 * What an agent's run reports when it ends, on complete and on fail alike (a failed run has
 * cost too): usage, transcript, and the branch it delivered. Every field is optional.
 */
export const ExecutionReport = ExecutionReportFields.meta({ id: "ExecutionReport" });
export type ExecutionReport = z.infer<typeof ExecutionReport>;
