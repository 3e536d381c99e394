import type { TaskInfo } from "@agentvine/core/task/schema";

/** What an executor can do while it runs a task. */
export interface ExecutionContext {
  /** Aborted when the session is terminated, the lease is lost, or the worker stops. */
  signal: AbortSignal;
  progress(percent: number, step: string): Promise<void>;
  /** Asks the humans (through the task's chat) and resolves with the answer. */
  ask(question: string): Promise<string>;
}

/**
 * Runs one task. Phase 1 has the stub agent; a real agent executor (e.g. Claude Code in a
 * checkout of repositoryUrl@branchName) implements the same interface.
 */
export interface Executor {
  run(task: TaskInfo, ctx: ExecutionContext): Promise<{ output: string }>;
}

/** The agent failed at the task: final for this work order, not retried. */
export class ExecutionFailed extends Error {
  override name = "ExecutionFailed";
}
