import Anthropic from "@anthropic-ai/sdk";
import type { Config } from "../config.ts";
import { DECIDE_TOOL, promptOf, SYSTEM_PROMPT } from "../controller/prompt.ts";
import { type ControllerPort, Verdict } from "../ports/controller.ts";

export interface AnthropicControllerOptions {
  apiKey: string;
  /** ANTHROPIC_BASE_URL: a gateway or, in tests, the fake Messages API. */
  baseURL?: string | undefined;
  model: string;
  timeoutMs: number;
}

/**
 * The controller on the Messages API: one request, the verdict forced through the decide tool
 * (so the reply is structured, never prose to parse). No retries: a person is the fallback,
 * and a slow controller keeps the agent waiting.
 */
export const anthropicController = (options: AnthropicControllerOptions): ControllerPort => {
  const client = new Anthropic({
    apiKey: options.apiKey,
    baseURL: options.baseURL ?? null,
    timeout: options.timeoutMs,
    maxRetries: 0,
  });
  return {
    id: options.model,
    decide: async (request) => {
      const reply = await client.messages.create({
        model: options.model,
        max_tokens: 1024,
        system: SYSTEM_PROMPT,
        tools: [DECIDE_TOOL],
        tool_choice: { type: "tool", name: DECIDE_TOOL.name },
        messages: [{ role: "user", content: promptOf(request) }],
      });
      const call = reply.content.find((b) => b.type === "tool_use" && b.name === DECIDE_TOOL.name);
      if (call?.type !== "tool_use") throw new Error("the controller model did not call decide");
      return Verdict.parse(call.input);
    },
  };
};

/** The controller an entry point configures: none without an API key (controller rules then escalate). */
export const controllerFromEnv = (
  env: Record<string, string | undefined>,
  config: Pick<Config, "controllerModel" | "controllerTimeoutMs">,
): ControllerPort | undefined =>
  env.ANTHROPIC_API_KEY
    ? anthropicController({
        apiKey: env.ANTHROPIC_API_KEY,
        baseURL: env.ANTHROPIC_BASE_URL || undefined,
        model: config.controllerModel,
        timeoutMs: config.controllerTimeoutMs,
      })
    : undefined;
