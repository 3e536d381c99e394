import type { ExecutionReport } from "@agentvine/core/execution/schema";
import type { TaskInfo } from "@agentvine/core/task/schema";

/** A person's decision on a tool call: a denial carries their reason for the agent. */
export type Approval = { allow: true } | { allow: false; message: string };

/** What an executor can do while it runs a task. */
export interface ExecutionContext {
  /** Aborted when the session is terminated, the lease is lost, or the worker stops. */
  signal: AbortSignal;
  progress(percent: number, step: string): Promise<void>;
  /** Asks the humans (through the task's chat) and resolves with the answer. */
  ask(question: string): Promise<string>;
  /** Asks a person to allow a tool call. */
  approve(request: {
    tool: string;
    /** What the tool would be called with, as bounded JSON for a person to read. */
    input: string;
    /** One line: `Bash: npm test`. */
    summary: string;
  }): Promise<Approval>;
  /** The Session's sessionId (a UUID the worker opened the session with): Claude Code runs with it as its own. */
  sessionId: string;
  /** The task's checkout, for executors with usesWorkspace; null otherwise. */
  workspace: string | null;
  /**
   * Set when this run goes on from a parked one (possibly on another worker): the state the
   * executor parked with (AgentParked) and the answer to the request it was waiting on, which
   * it takes instead of asking again. null for a fresh run.
   */
  resume: { state: unknown; answer: { message: string; decision: "allow" | "deny" | null } } | null;
}

export interface ExecutionResult {
  output: string;
  report?: ExecutionReport;
}

/** Runs one task: the stub agent, or a real one (Claude Code) in a checkout of the task's repository. */
export interface Executor {
  /** Whether the worker must check the repository out for it (ctx.workspace). */
  readonly usesWorkspace: boolean;
  run(task: TaskInfo, ctx: ExecutionContext): Promise<ExecutionResult>;
}

/** The agent failed at the task: final for this work order, not retried. Carries what was spent. */
export class ExecutionFailed extends Error {
  override name = "ExecutionFailed";

  constructor(
    message: string,
    readonly report?: ExecutionReport,
  ) {
    super(message);
  }
}

/**
 * What an executor throws when its run was stopped from outside (its signal's reason: the
 * worker's own stop, or a session that could not open): that reason, with what the run did and
 * used until then. Core may have ended the execution already (a terminated session, a takeover),
 * so the worker sends the report after.
 */
export class RunStopped extends Error {
  override name = "RunStopped";

  constructor(
    readonly reason: unknown,
    readonly report?: ExecutionReport,
  ) {
    super(reason instanceof Error ? reason.message : String(reason));
  }
}

/**
 * The abort reason of a run whose question or approval request has waited the grace period
 * (AGENTVINE_PARK_AFTER_MS): the executor is to stop and hand over its state (AgentParked).
 */
export class ParkRequested extends Error {
  override name = "ParkRequested";

  constructor(readonly requestId: string) {
    super(`Parked while request ${requestId} waits for a person`);
  }
}

/** What an executor throws when its run was aborted with ParkRequested: the state to resume it from. */
export class AgentParked extends Error {
  override name = "AgentParked";

  /** `report`: what the run did and used up to the park (its execution keeps it). */
  constructor(
    readonly state: unknown,
    readonly report?: ExecutionReport,
  ) {
    super("The agent parked");
  }
}
