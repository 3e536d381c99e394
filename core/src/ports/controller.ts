import { z } from "zod";
import type { RequestKind } from "../db/enums.ts";

/**
 * The LLM controller port: given an open request and its task's context, a verdict. The
 * adapter on the Anthropic SDK is `adapters/anthropic-controller.ts`; tests script its replies
 * with the fake Messages API. Any error (or timeout) is the caller's cue to escalate.
 */
export interface ControllerPort {
  /** Who decides, as decidedBy.id shows it: the model. */
  readonly id: string;
  decide(request: ControllerRequest): Promise<Verdict>;
}

export interface ControllerRequest {
  task: { title: string; description: string; taskType: string; repositoryUrl: string | null };
  request: { kind: RequestKind; message: string; tool: string | null; input: string | null };
  /** The conversation before the request, oldest first. */
  conversation: { from: "agent" | "person" | "system"; text: string }[];
}

/** answer a question, allow or deny an approval, or pass it to a person; always with a reason. */
export const Verdict = z.discriminatedUnion("action", [
  z.object({ action: z.literal("answer"), message: z.string().trim().min(1), reason: z.string() }),
  z.object({ action: z.enum(["allow", "deny"]), message: z.string().optional(), reason: z.string() }),
  z.object({ action: z.literal("escalate"), reason: z.string() }),
]);
export type Verdict = z.infer<typeof Verdict>;
