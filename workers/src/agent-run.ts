import type { TaskInfo } from "@agentvine/core/task/schema";
import { type ExecutionContext, ExecutionFailed, type ExecutionResult, type Executor } from "./executor.ts";
import type { Workspaces } from "./workspace/index.ts";

/** What a run hands the executor: the context without the workspace, which the run prepares. */
export type RunContext = Omit<ExecutionContext, "workspace">;

/**
 * One task run by its agent: a checkout of the task's repository for agents that work in one,
 * the agent's run, then what it changed committed and pushed on the task's branch, whose
 * figures (branch, commit, files, diff) join the agent's report. The checkout goes in any case.
 */
export const runAgent = async (
  task: TaskInfo,
  executor: Executor,
  workspaces: Workspaces,
  ctx: RunContext,
): Promise<ExecutionResult> => {
  if (!executor.usesWorkspace) return executor.run(task, { ...ctx, workspace: null });
  if (!task.repositoryUrl)
    throw new ExecutionFailed(`The ${task.agent} agent needs the task's repositoryUrl`);
  await ctx.progress(0, "Checking out the repository");
  const workspace = await workspaces.open(
    { taskId: task.id, repositoryUrl: task.repositoryUrl, branchName: task.branchName ?? undefined },
    ctx.signal,
  );
  try {
    const result = await executor.run(task, { ...ctx, workspace: workspace.dir });
    await ctx.progress(100, `Pushing ${workspace.branch}`);
    const delivery = await workspace.deliver({ message: `AgentVine: ${task.title}\n\nTask ${task.id}` });
    return { output: result.output, report: { ...result.report, ...delivery } };
  } finally {
    await workspace.remove();
  }
};
