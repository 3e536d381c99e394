import { taskBranch } from "../workspace/index.ts";

/** The task fields the prompt is made of. */
export interface PromptTask {
  id: string;
  title: string;
  description: string;
  taskType: string;
}

/** What Claude Code is told: the task, where it works, how to ask, and what "done" means here. */
export const taskPrompt = (task: PromptTask) =>
  [
    `Task (${task.taskType}): ${task.title}`,
    "",
    task.description.trim() || "(no description)",
    "",
    `You are working in a git checkout of the task's repository, on the branch ${taskBranch(task.id)}.`,
    "When you are done, leave your changes in the working tree: do not commit or push, the worker",
    "commits them on that branch and pushes it. End with a short summary of what you changed.",
    "When something is unclear or needs a person's decision, ask with the ask_human tool and wait",
    "for the answer instead of guessing.",
  ].join("\n");
