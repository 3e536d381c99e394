import type { TaskInfo } from "@agentvine/core/task/schema";
import { type ExecutionContext, ExecutionFailed, type ExecutionResult, type Executor } from "./executor.ts";
import type { Workspaces } from "./workspace/index.ts";

/** What a run hands the executor besides the workspace, which the run prepares. */
export type RunContext = Omit<ExecutionContext, "workspace">;

/**
 * One task run by its agent: a checkout of the task's repository for agents that work in one
 * (made while `begin` opens the session: the two are independent, and both stand between the
 * claim and the agent's start), the agent's run, then what it changed committed and pushed on
 * the task's branch, whose figures (branch, commit, files, diff) join the agent's report. The
 * checkout goes in any case.
 */
export const runAgent = async (
  task: TaskInfo,
  executor: Executor,
  workspaces: Workspaces,
  signal: AbortSignal,
  begin: () => Promise<RunContext>,
): Promise<ExecutionResult> => {
  if (executor.usesWorkspace && !task.repositoryUrl)
    throw new ExecutionFailed(`The ${task.agent} agent needs the task's repositoryUrl`);
  const checkout =
    executor.usesWorkspace && task.repositoryUrl
      ? workspaces.open(
          { taskId: task.id, repositoryUrl: task.repositoryUrl, branchName: task.branchName },
          signal,
        )
      : Promise.resolve(null);
  const [opened, checkedOut] = await Promise.allSettled([begin(), checkout]);
  const workspace = checkedOut.status === "fulfilled" ? checkedOut.value : null;
  try {
    if (opened.status === "rejected") throw opened.reason;
    if (checkedOut.status === "rejected") throw checkedOut.reason;
    const ctx = opened.value;
    const result = await executor.run(task, { ...ctx, workspace: workspace?.dir ?? null });
    if (!workspace) return result;
    await ctx.progress(100, `Pushing ${workspace.branch}`);
    const delivery = await workspace.deliver({
      message: `AgentVine: ${task.title}\n\nTask ${task.id}`,
      signal,
    });
    return { output: result.output, report: { ...result.report, ...delivery } };
  } finally {
    await workspace?.remove();
  }
};
