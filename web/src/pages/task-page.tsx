import { Link, useParams } from "react-router";
import { ApiError } from "../api/client.ts";
import { useExecutions, useHistory, useTask } from "../api/queries.ts";
import { PriorityTag, StatusBadge, SuspiciousTag } from "../components/badge.tsx";
import { ChatThread } from "../components/chat-thread.tsx";
import { Panel } from "../components/panel.tsx";
import { TaskActions } from "../components/task-actions.tsx";
import { ago, stamp, useNow } from "../lib/time.ts";
import { TaskExecution } from "./task-execution.tsx";
import { TaskOptions } from "./task-options.tsx";

export const TaskPage = () => {
  const { id = "" } = useParams();
  const task = useTask(id);
  const now = useNow();
  if (task.error) {
    return (
      <div className="page">
        <p className="form-error" role="alert">
          {task.error instanceof ApiError && task.error.status === 404
            ? `There is no task ${id}.`
            : `Could not load the task: ${task.error.message}`}
        </p>
        <Link to="/tasks">Back to tasks</Link>
      </div>
    );
  }
  const t = task.data;
  if (!t) return <p className="empty">Loading task…</p>;
  return (
    <div className="page task-page">
      <nav aria-label="Breadcrumb" className="crumbs">
        <Link to="/tasks">Tasks</Link> <span aria-hidden="true">/</span>
      </nav>
      <header className="task-head">
        <div>
          <h1>{t.title}</h1>
          <p className="task-meta">
            <StatusBadge status={t.status} />
            {t.suspicious && <SuspiciousTag reason={t.suspicious} />} <PriorityTag priority={t.priority} />{" "}
            <span className="tag">{t.taskType}</span>
            <span className="muted">
              {" "}
              created by {t.createdBy} {ago(t.createdAt, now)}
              {t.completedAt && ` · finished ${ago(t.completedAt, now)}`}
            </span>
          </p>
          <TaskOptions task={t} />
          {(t.repositoryUrl || t.branchName) && (
            <p className="mono small">
              {t.repositoryUrl ?? "(no repository)"}
              {t.branchName && <> @ {t.branchName}</>}
            </p>
          )}
          {t.failureReason &&
            // A cancel's reason names who cancelled it: a fact, not a failure.
            (t.status === "cancelled" ? (
              <p className="muted" role="note">
                {t.failureReason}
              </p>
            ) : (
              <p className="form-error" role="note">
                Failed: {t.failureReason}
              </p>
            ))}
        </div>
        <div className="task-head-actions">
          <TaskActions task={t} />
          <Link to={`/chat/${t.id}`} className="button">
            Open in chat
          </Link>
        </div>
      </header>
      {t.description && <p className="description">{t.description}</p>}
      <div className="task-grid">
        <div>
          <Executions taskId={t.id} />
          <Panel title="Conversation">
            <ChatThread conversationId={t.id} compact />
          </Panel>
        </div>
        <div>
          <History taskId={t.id} />
        </div>
      </div>
    </div>
  );
};

const Executions = ({ taskId }: { taskId: string }) => {
  const executions = useExecutions(taskId);
  const items = executions.data?.items ?? [];
  return (
    <Panel title="Executions">
      {items.length === 0 ? (
        <p className="empty">{executions.isPending ? "Loading…" : "Not started yet."}</p>
      ) : (
        <ol className="executions">
          {items.map((e) => (
            <TaskExecution key={e.id} execution={e} />
          ))}
        </ol>
      )}
    </Panel>
  );
};

const History = ({ taskId }: { taskId: string }) => {
  const history = useHistory(taskId);
  const now = useNow();
  const items = history.data?.items ?? [];
  return (
    <Panel title="Status history">
      {items.length === 0 ? (
        <p className="empty">{history.isPending ? "Loading…" : "No history yet."}</p>
      ) : (
        <ol className="timeline">
          {items.map((a) => (
            <li key={a.id} className={`tl tl-${a.type.split(".")[0]}`}>
              <span className="tl-time" title={a.createdAt}>
                {stamp(a.createdAt, now)}
              </span>
              <span className="tl-text">{a.summary}</span>
            </li>
          ))}
        </ol>
      )}
    </Panel>
  );
};
