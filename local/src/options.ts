import { parseArgs } from "node:util";
import { configFromEnv } from "@agentvine/core/config";
import { ConfigError, configError } from "@agentvine/core/config-error";
import { LogLevel } from "@agentvine/core/log";
import { z } from "zod";
import { StartupError } from "./startup-error.ts";

/**
 * `npm start -- --port <P> --workers <N> --data-dir <dir>` plus the AGENTVINE_* environment.
 * Keep-alive and timing overrides (AGENTVINE_SESSION_IDLE_MS, ...) are read by configFromEnv.
 */
const Options = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(8787),
  host: z.string().default("127.0.0.1"),
  workers: z.coerce.number().int().min(0).max(50).default(3),
  dataDir: z.string().min(1).default(".agentvine"),
  /** DynamoDB data in memory, not in the data dir: nothing survives a stop (benchmarks, demos). */
  memory: z.boolean().optional(),
  adminToken: z.string().min(16, "AGENTVINE_ADMIN_TOKEN must be at least 16 characters").optional(),
  enrolmentToken: z.string().min(16).optional(),
  /** An external AWS-compatible endpoint (LocalStack): no local engines are started. */
  endpoint: z.url().optional(),
  logLevel: LogLevel.optional(),
});
export type Options = z.infer<typeof Options>;

export const HELP = `Usage: npm start -- [--port 8787] [--host 127.0.0.1] [--workers 3] [--data-dir .agentvine] [--memory]

  --memory   keep DynamoDB's data in memory: nothing survives a stop (the data dir still holds
             the lock, the admin token and snapshots)

Environment:
  AGENTVINE_ADMIN_TOKEN            bootstrap admin token (otherwise one is generated and kept in the data dir)
  AGENTVINE_WORKER_ENROLMENT_TOKEN token workers register with (otherwise generated per start)
  AGENTVINE_SESSION_IDLE_MS        keep-alive: idle limit (default 1800000 = 30 min)
  AGENTVINE_SESSION_MAX_AGE_MS     keep-alive: age limit (default 3600000 = 1 h)
  AGENTVINE_REAPER_INTERVAL_MS     how often the reaper/reconciler runs (default 60000)
  AGENTVINE_CONTROLLER_MODEL       the LLM controller's model (default claude-haiku-4-5; needs ANTHROPIC_API_KEY)
  AGENTVINE_LOG_LEVEL              JSON log lines from this level up: fatal ... trace, or silent (default info)
  AWS_ENDPOINT_URL                 use this DynamoDB/SQS endpoint (e.g. LocalStack) instead of local engines`;

/** Where each option comes from, as the person typed it. */
const SOURCES: Record<keyof Options, string> = {
  port: "--port",
  host: "--host",
  workers: "--workers",
  dataDir: "--data-dir",
  memory: "--memory",
  adminToken: "AGENTVINE_ADMIN_TOKEN",
  enrolmentToken: "AGENTVINE_WORKER_ENROLMENT_TOKEN",
  endpoint: "AWS_ENDPOINT_URL",
  logLevel: "AGENTVINE_LOG_LEVEL",
};

/** Bad options or environment: exit code 2, as for any command used wrongly. */
const usageError = (problems: string[]) =>
  new StartupError(`${problems.join("\n")}\nSee npm start -- --help`, 2);

export const parseOptions = (argv: string[], env: NodeJS.ProcessEnv): Options | "help" => {
  let values: ReturnType<typeof readArgs>["values"];
  try {
    values = readArgs(argv).values;
  } catch (err) {
    // node's parseArgs names the option in its first line (unknown, missing or ambiguous value).
    throw usageError([(err as Error).message.split("\n")[0] ?? String(err)]);
  }
  if (values.help) return "help";
  const given = {
    port: values.port,
    host: values.host,
    workers: values.workers,
    dataDir: values["data-dir"],
    memory: values.memory,
    adminToken: env.AGENTVINE_ADMIN_TOKEN || undefined,
    enrolmentToken: env.AGENTVINE_WORKER_ENROLMENT_TOKEN || undefined,
    endpoint: env.AWS_ENDPOINT_URL || undefined,
    logLevel: env.AGENTVINE_LOG_LEVEL || undefined,
  };
  const parsed = Options.safeParse(given);
  if (!parsed.success) {
    // The value is repeated to help, except a token's: secrets stay out of the terminal.
    const secret = (key: string) => key === "adminToken" || key === "enrolmentToken";
    const nameOf = (key: string) => SOURCES[key as keyof Options] ?? key;
    throw usageError(
      configError(parsed.error, nameOf, (key) => (secret(key) ? undefined : given[key as keyof Options]))
        .problems,
    );
  }
  // The domain's settings (AGENTVINE_LEASE_MS, ...) are checked now, before any engine starts.
  try {
    configFromEnv(env);
  } catch (err) {
    if (err instanceof ConfigError) throw usageError(err.problems);
    throw err;
  }
  return parsed.data;
};

const readArgs = (argv: string[]) =>
  parseArgs({
    args: argv,
    options: {
      port: { type: "string" },
      host: { type: "string" },
      workers: { type: "string" },
      "data-dir": { type: "string" },
      memory: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
