import { isDeepStrictEqual } from "node:util";
import { z } from "zod";
import type { ExecutionContext } from "../executor.ts";
import { toolSummary } from "./tool-summary.ts";

/** What a parked run was waiting on: a question (ask_human) or a person's leave for a tool call. */
const Pending = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("question"), question: z.string() }),
  z.object({ kind: z.literal("approval"), tool: z.string(), input: z.record(z.string(), z.unknown()) }),
]);
export type Pending = z.infer<typeof Pending>;

/**
 * A parked Claude Code run: the CLI's session transcript (JSONL), what it was waiting on, and
 * the turns the task's runs took so far (the CLI counts maxTurns from its own start; a resume
 * gets what is left). Absent in snapshots from before it was kept: 0.
 */
export const ClaudeParkState = z.object({
  transcript: z.string().min(1),
  pending: Pending,
  turnsUsed: z.number().int().nonnegative().default(0),
});
export type ClaudeParkState = z.infer<typeof ClaudeParkState>;

type Answer = NonNullable<ExecutionContext["resume"]>["answer"];

/**
 * The resumed session's next user message: the answer to what it was waiting on. The parked
 * process was killed inside that tool call, so the model hears the answer as the person's turn.
 */
export const resumePrompt = (pending: Pending, answer: Answer) => {
  if (pending.kind === "question")
    return `The person answered your question (${pending.question}):\n\n${answer.message}`;
  const call = toolSummary(pending.tool, pending.input);
  return answer.decision === "allow"
    ? `The person allowed your call (${call}). Make that same call again now: it will not be asked about again.`
    : `The person denied your call (${call}): ${answer.message}`;
};

/**
 * The approval a person gave while the run was parked, for the call it was given for: the first
 * call of that tool after the resume is allowed without asking if it is the identical call; any
 * other call, or a later one, is asked about as usual.
 */
export const grantedCall = (pending: Pending, answer: Answer) => {
  if (pending.kind !== "approval" || answer.decision !== "allow") return () => false;
  let used = false;
  return (tool: string, input: Record<string, unknown>) => {
    if (used || tool !== pending.tool) return false;
    used = true;
    return isDeepStrictEqual(input, pending.input);
  };
};
