import { AsyncLocalStorage } from "node:async_hooks";
import { type DestinationStream, pino } from "pino";
import { z } from "zod";

/** `AGENTVINE_LOG_LEVEL`, read by each process's entry point. */
export const LogLevel = z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]);
export type LogLevel = z.infer<typeof LogLevel>;

/**
 * The ids that tie a log line to what it is about. Every line logged inside a scope carries
 * them, so `grep <task id>` over the logs of the API, the workers and the runtime tells one
 * task's story from creation to completion.
 */
export interface LogFields {
  requestId?: string;
  taskId?: string;
  workOrderId?: string;
  workerId?: string;
  sessionId?: string;
}

const scope = new AsyncLocalStorage<LogFields>();

const defined = (fields: LogFields) =>
  Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined && v !== "")) as LogFields;

/**
 * One structured JSON logger per process. Core logs through it; the process's entry point
 * names its service and level once (`configureLog`), since core never reads the environment.
 */
export const createLogger = (destination?: DestinationStream) =>
  pino(
    {
      level: "info",
      // No pid/hostname: the service (set once by configureLog) and the scope's ids say enough.
      base: null,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => ({ ...scope.getStore() }),
    },
    destination ?? pino.destination({ sync: true }),
  );

export const log = createLogger();

/** Once per process, at its entry point (pino appends bindings: a second call would repeat them). */
export const configureLog = (options: { service: string; level?: LogLevel }) => {
  log.setBindings({ service: options.service });
  if (options.level) log.level = options.level;
};

/** Runs fn with these ids on every line logged inside it; an inner scope adds to the outer one. */
export const withLogFields = <T>(fields: LogFields, fn: () => T): T =>
  scope.run({ ...scope.getStore(), ...defined(fields) }, fn);

/** Adds ids to the current scope once they are known (e.g. a claim learns its task id). */
export const addLogFields = (fields: LogFields) => {
  const current = scope.getStore();
  if (current) Object.assign(current, defined(fields));
};
