import { join } from "node:path";
import type { Agent } from "@agentvine/core/db/enums";
import { claudeCodeExecutor } from "./claude-code/claude-code-executor.ts";
import type { Executor } from "./executor.ts";
import { stubExecutor } from "./stub-executor.ts";

/**
 * The agents a worker can run, one executor each, chosen per task by its `agent`. Another agent
 * (Codex, Gemini CLI) is one more entry here and one more value of core's AGENTS.
 */
export const createAgents = (options: {
  dataDir: string;
  claudeModel: string | undefined;
  env: NodeJS.ProcessEnv;
}): Record<Agent, Executor> => ({
  stub: stubExecutor,
  "claude-code": claudeCodeExecutor({
    model: options.claudeModel,
    claudeHome: join(options.dataDir, "claude"),
    env: options.env,
  }),
});
