import type { ExecutionReport } from "@agentvine/core/execution/schema";
import type { SDKResultMessage } from "@anthropic-ai/claude-agent-sdk";
import { z } from "zod";
import type { Transcript } from "./transcript.ts";

/** A reply's token counts, as the Messages API gives them. */
const Usage = z.object({
  input_tokens: z.number(),
  output_tokens: z.number(),
  cache_read_input_tokens: z.number().nullish(),
  cache_creation_input_tokens: z.number().nullish(),
});
export type Usage = z.infer<typeof Usage>;

/** A reply in the CLI's session transcript: one entry per content block, each with the reply's usage. */
const ReplyEntry = z.object({
  type: z.literal("assistant"),
  message: z.object({ id: z.string(), usage: Usage }),
});

const replyEntry = (line: string) => {
  try {
    return ReplyEntry.safeParse(JSON.parse(line)).data;
  } catch {
    return undefined;
  }
};

/** The sum of `count` over `items`. */
const total = <T>(items: readonly T[], count: (item: T) => number) =>
  items.reduce((n, item) => n + count(item), 0);

/**
 * What a run stopped before its result (parked, failed on the way, or stopped) used: its replies
 * (by the ids its stream showed, so a resumed session's earlier replies are not counted again)
 * and their tokens. The stream gave each reply's usage as the reply began: its input, and one
 * output token. The CLI's session transcript has the final usage, but it is written
 * asynchronously, and a run killed at once may not have its last reply there yet: that one
 * counts as the stream gave it. No cost: only the CLI's result prices a run.
 */
export const usageBeforeResult = (sessionTranscript: string | null, replies: ReadonlyMap<string, Usage>) => {
  if (!replies.size) return {};
  const usage = new Map(replies);
  for (const line of sessionTranscript?.split("\n") ?? []) {
    const entry = replyEntry(line);
    if (entry && replies.has(entry.message.id)) usage.set(entry.message.id, entry.message.usage);
  }
  const tokens = [...usage.values()];
  return {
    turns: replies.size,
    inputTokens: total(
      tokens,
      (u) => u.input_tokens + (u.cache_read_input_tokens ?? 0) + (u.cache_creation_input_tokens ?? 0),
    ),
    outputTokens: total(tokens, (u) => u.output_tokens),
  };
};

/**
 * The execution's report: cost, tokens, turns and duration from the run's `result` (when it got
 * that far; else what `usageBeforeResult` finds) and the transcript. Tokens are summed over
 * `modelUsage` (every model call of the run, subagents included, which the SDK names the field
 * for accounting); inputTokens counts cache reads and writes too, since they are input the model
 * read and the cost prices them.
 */
export const reportOf = (
  result: SDKResultMessage | undefined,
  transcript: Transcript,
  beforeResult: ReturnType<typeof usageBeforeResult>,
): ExecutionReport => {
  const usage = Object.values(result?.modelUsage ?? {});
  return {
    ...(result
      ? {
          costUsd: result.total_cost_usd,
          inputTokens: total(
            usage,
            (u) => u.inputTokens + u.cacheReadInputTokens + u.cacheCreationInputTokens,
          ),
          outputTokens: total(usage, (u) => u.outputTokens),
          turns: result.num_turns,
          durationMs: result.duration_ms,
        }
      : beforeResult),
    transcript: transcript.text,
    transcriptTruncated: transcript.truncated,
  };
};

const NO_CREDENTIALS =
  "Claude Code has no credentials on this worker: set ANTHROPIC_API_KEY (or CLAUDE_CODE_OAUTH_TOKEN) " +
  "in the worker's environment (npm start hands its own to its workers)";

/** "5 turns", or "5 turns (2 in this run)" for a run that resumed a parked one. */
const turnsTaken = (result: SDKResultMessage, before = 0) =>
  `${before + result.num_turns} turns${before ? ` (${result.num_turns} in this run)` : ""}`;

/** Why a result is a failure, or null when the agent ended well. */
export const failureOf = (
  result: SDKResultMessage,
  limits: { maxTurns?: number | undefined; maxBudgetUsd?: number | undefined; turnsBefore?: number },
) => {
  switch (result.subtype) {
    case "success":
      if (!result.is_error) return null;
      // The CLI's advice is its interactive /login, which no worker has: say what to set instead.
      if (result.result.startsWith("Not logged in")) return NO_CREDENTIALS;
      return `Claude Code ended with an error: ${result.result}`;
    case "error_max_turns":
      return `Claude Code reached the turn limit (maxTurns ${limits.maxTurns ?? "default"}) after ${turnsTaken(result, limits.turnsBefore)}`;
    case "error_max_budget_usd":
      return `Claude Code reached the budget limit (maxBudgetUsd ${limits.maxBudgetUsd}) at $${result.total_cost_usd.toFixed(4)}`;
    default:
      return `Claude Code failed (${result.subtype})${result.errors.length ? `: ${result.errors.join("; ")}` : ""}`;
  }
};
