/** The parts the runtime waits for before it answers requests, in the words /healthz uses. */
export const STARTUP_PARTS = ["dynamodb", "sqs", "tables", "queues", "api"] as const;
export type StartupPart = (typeof STARTUP_PARTS)[number];

/** Runs before a part counts as done: tests hold a part back to look at start-up from outside. */
export type StartupHook = (part: StartupPart) => Promise<void>;

export const startupTracker = (hook?: StartupHook) => {
  const waiting = new Set<StartupPart>(STARTUP_PARTS);
  return {
    waiting: (): string[] => [...waiting],
    async done(part: StartupPart) {
      await hook?.(part);
      waiting.delete(part);
    },
  };
};
