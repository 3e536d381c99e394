import type { TaskInfo } from "@agentvine/client";
import { AGENT_LABELS, PERMISSION_LABELS } from "../components/task-form.ts";

/** The agent's options the task was created with, in one line; nothing for a task without them. */
export const TaskOptions = ({ task: t }: { task: TaskInfo }) => {
  if (!t.agent) return null;
  const parts = [
    t.model && `model ${t.model}`,
    t.permissionMode && PERMISSION_LABELS[t.permissionMode].toLowerCase(),
    t.maxTurns !== null && `at most ${t.maxTurns} turns`,
    t.maxBudgetUsd !== null && `budget $${t.maxBudgetUsd.toFixed(2)}`,
  ].filter(Boolean);
  return (
    <p className="task-options small">
      <span className="tag">{AGENT_LABELS[t.agent]}</span>
      {parts.length > 0 && <span className="muted"> {parts.join(" · ")}</span>}
    </p>
  );
};
