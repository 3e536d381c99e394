import type { Agent } from "@agentvine/core/db/enums";
import type { TaskInfo } from "@agentvine/core/task/schema";
import {
  AgentParked,
  type ExecutionContext,
  ExecutionFailed,
  type ExecutionResult,
  type Executor,
  ParkRequested,
  RunStopped,
} from "./executor.ts";
import { RunParked } from "./parking.ts";
import type { Workspace, WorkspaceSnapshot, Workspaces } from "./workspace/index.ts";

/** What a run hands the executor besides the workspace, which the run prepares. */
export type RunContext = Omit<ExecutionContext, "workspace">;

/**
 * One task run by its agent (the executor the task's `agent` names): a checkout of the task's repository for agents that work in one,
 * the agent's run, then what it changed committed and pushed on the task's branch, whose
 * figures (branch, commit, files, diff) join the agent's report. The checkout goes in any case.
 *
 * The session (`opening`) opens alongside: the checkout and the agent's start do not need it,
 * and all three stand between the claim and the agent's first request. A session that cannot
 * open stops the agent with that reason; the run never ends before the opening has settled, so
 * no session opens for work already reported as ended.
 *
 * Parked (the agent threw AgentParked), its checkout is snapshotted before it goes: RunParked
 * carries both. A resumed run (`restore`) checks the snapshot's branch out instead of a new one.
 */
export const runAgent = async (
  task: TaskInfo,
  agents: Partial<Record<Agent, Executor>>,
  workspaces: Workspaces,
  opening: Promise<unknown>,
  ctx: RunContext,
  restore: WorkspaceSnapshot | null = null,
): Promise<ExecutionResult> => {
  const run = new AbortController();
  const stop = () => run.abort(ctx.signal.reason);
  ctx.signal.addEventListener("abort", stop, { once: true });
  if (ctx.signal.aborted) stop();
  const opened = opening.then(
    () => true,
    (err: unknown) => void run.abort(err),
  );
  let workspace: Workspace | null = null;
  try {
    const executor = agents[task.agent];
    if (!executor) throw new ExecutionFailed(`This worker cannot run the ${task.agent} agent`);
    if (executor.usesWorkspace) {
      if (!task.repositoryUrl)
        throw new ExecutionFailed(`The ${task.agent} agent needs the task's repositoryUrl`);
      const request = { taskId: task.id, repositoryUrl: task.repositoryUrl, branchName: task.branchName };
      workspace = restore
        ? await workspaces.restore(request, restore, run.signal)
        : await workspaces.open(request, run.signal);
    }
    const result = await executor.run(task, {
      ...ctx,
      signal: run.signal,
      workspace: workspace?.dir ?? null,
    });
    if (!(await opened)) throw run.signal.reason;
    if (!workspace) return result;
    await ctx.progress(100, `Pushing ${workspace.branch}`);
    const delivery = await workspace.deliver({
      message: `AgentVine: ${task.title}\n\nTask ${task.id}`,
      signal: run.signal,
    });
    return { output: result.output, report: { ...result.report, ...delivery } };
  } catch (err) {
    if (err instanceof AgentParked && ctx.signal.reason instanceof ParkRequested)
      throw new RunParked(
        ctx.signal.reason.requestId,
        { agent: err.state, workspace: (await workspace?.snapshot()) ?? null },
        err.report,
      );
    // Stopped because the session could not open: that is the reason to report. A stop the
    // executor carries with what the run used (RunStopped) goes through as it is.
    await opened;
    throw run.signal.aborted && !(err instanceof RunStopped) ? run.signal.reason : err;
  } finally {
    ctx.signal.removeEventListener("abort", stop);
    await workspace?.remove();
  }
};
