import type { Agent } from "../db/enums.ts";
import type { ExecutionReport } from "../execution/schema.ts";

/**
 * Why a completed run looks like it did nothing, or null: it said nothing, or it was a Claude
 * Code run that changed no file. Flagged on the task and notified; it stays completed.
 */
export const suspicionOf = (
  agent: Agent,
  output: string | undefined,
  report: ExecutionReport | undefined,
) => {
  if (!output?.trim()) return "Completed with empty output";
  if (agent === "claude-code" && !report?.files?.length) return "A Claude Code run that changed no file";
  return null;
};
