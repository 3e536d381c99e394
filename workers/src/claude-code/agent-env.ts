import { join } from "node:path";

/**
 * The environment of one Claude Code run. The SDK's `env` option replaces the child's whole
 * environment, so it starts from the worker's (PATH, ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL, git
 * settings) without the worker's own AGENTVINE_* settings (its enrolment token): the agent runs
 * commands and could print them. A home of its own keeps it off the real ~/.claude and
 * ~/.claude.json; the DISABLE_* settings keep it from calling anything but the Messages API.
 */
export const agentEnv = (
  source: Record<string, string | undefined>,
  home: string,
  { bypass }: { bypass: boolean },
): Record<string, string | undefined> => ({
  ...Object.fromEntries(Object.entries(source).filter(([name]) => !name.startsWith("AGENTVINE_"))),
  HOME: home,
  CLAUDE_CONFIG_DIR: join(home, ".claude"),
  CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
  DISABLE_AUTOUPDATER: "1",
  DISABLE_TELEMETRY: "1",
  DISABLE_ERROR_REPORTING: "1",
  // The CLI refuses bypassPermissions as root unless told it runs in a sandbox (a container).
  ...(bypass && process.getuid?.() === 0 ? { IS_SANDBOX: "1" } : {}),
});
