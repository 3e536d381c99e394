import { configureLog, LogLevel } from "@agentvine/core/log";

/** Code under test in this process logs at the level its child processes get (vitest.config.ts). */
configureLog({ service: "test", level: LogLevel.parse(process.env.AGENTVINE_LOG_LEVEL ?? "warn") });
