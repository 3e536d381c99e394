import type { ExecutionReport } from "@agentvine/core/execution/schema";
import type { SDKResultMessage } from "@anthropic-ai/claude-agent-sdk";
import type { Transcript } from "./transcript.ts";

/**
 * The execution's report: cost, tokens, turns and duration from the run's `result` (when it got
 * that far) and the transcript. Tokens are summed over `modelUsage` (every model call of the run,
 * subagents included, which the SDK names the field for accounting); inputTokens counts cache
 * reads and writes too, since they are input the model read and the cost prices them.
 */
export const reportOf = (result: SDKResultMessage | undefined, transcript: Transcript): ExecutionReport => {
  const usage = Object.values(result?.modelUsage ?? {});
  const sum = (tokens: (u: (typeof usage)[number]) => number) => usage.reduce((n, u) => n + tokens(u), 0);
  return {
    ...(result && {
      costUsd: result.total_cost_usd,
      inputTokens: sum((u) => u.inputTokens + u.cacheReadInputTokens + u.cacheCreationInputTokens),
      outputTokens: sum((u) => u.outputTokens),
      turns: result.num_turns,
      durationMs: result.duration_ms,
    }),
    transcript: transcript.text,
    transcriptTruncated: transcript.truncated,
  };
};

/** Why a result is a failure, or null when the agent ended well. */
export const failureOf = (result: SDKResultMessage, limits: { maxTurns?: number; maxBudgetUsd?: number }) => {
  switch (result.subtype) {
    case "success":
      return result.is_error ? `Claude Code ended with an error: ${result.result}` : null;
    case "error_max_turns":
      return `Claude Code reached the turn limit (maxTurns ${limits.maxTurns ?? "default"}) after ${result.num_turns} turns`;
    case "error_max_budget_usd":
      return `Claude Code reached the budget limit (maxBudgetUsd ${limits.maxBudgetUsd}) at $${result.total_cost_usd.toFixed(4)}`;
    default:
      return `Claude Code failed (${result.subtype})${result.errors.length ? `: ${result.errors.join("; ")}` : ""}`;
  }
};
