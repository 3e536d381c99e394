import type { TaskInfo } from "@agentvine/client";
import { useState } from "react";
import { useCancelTask, useRetryTask } from "../api/queries.ts";
import { toast } from "../lib/toast.ts";
import { Modal } from "./modal.tsx";

/** A task whose agent has work in hand: running, or parked on a person with its workspace kept. */
const hasAgentWork = (task: TaskInfo) => task.status === "in_progress" || task.status === "waiting";

/**
 * Retry (re-enqueue) for failed and cancelled tasks; Cancel for queued ones, running ones (their
 * agent is stopped) and those parked on a person. Cancelling an agent's work in hand asks first:
 * what it has not pushed is lost, and one stray click in a list should not cost a long run.
 */
export const TaskActions = ({ task }: { task: TaskInfo }) => {
  const cancel = useCancelTask();
  const retry = useRetryTask();
  const [confirming, setConfirming] = useState(false);
  const cancellable = task.status === "queued" || hasAgentWork(task);
  const action = cancellable
    ? {
        label: "Cancel",
        mutation: cancel,
        done: { kind: "info" as const, text: `Cancelled "${task.title}"` },
      }
    : task.status === "failed" || task.status === "cancelled"
      ? {
          label: "Retry",
          mutation: retry,
          done: { kind: "success" as const, text: `Re-enqueued "${task.title}"` },
        }
      : null;
  if (!action) return null;
  const run = () => {
    setConfirming(false);
    action.mutation.mutate(task.id, {
      onSuccess: () => toast(action.done),
      onError: (err) => toast({ kind: "error", text: `${action.label} failed: ${err.message}` }),
    });
  };
  return (
    <>
      <button
        type="button"
        className="small"
        aria-label={`${action.label} ${task.title}`}
        disabled={action.mutation.isPending}
        onClick={() => (cancellable && hasAgentWork(task) ? setConfirming(true) : run())}
      >
        {action.label}
      </button>
      {confirming && (
        <Modal open title={`Cancel "${task.title}"?`} onClose={() => setConfirming(false)}>
          <p>
            {task.status === "waiting"
              ? "Its agent is parked, waiting on a person. Cancelling ends its session and discards the work it kept."
              : "Its agent is running. Cancelling stops it now and ends its session."}{" "}
            Changes it has not pushed are lost; Retry starts the task over.
          </p>
          <div className="form-actions">
            <button type="button" onClick={() => setConfirming(false)}>
              Keep it
            </button>
            <button type="button" className="danger" onClick={run}>
              Cancel the task
            </button>
          </div>
        </Modal>
      )}
    </>
  );
};
