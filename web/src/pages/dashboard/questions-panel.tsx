import { Link } from "react-router";
import { usePending } from "../../api/queries.ts";
import { ApprovalTag } from "../../components/badge.tsx";
import { Panel } from "../../components/panel.tsx";
import { WorkerName } from "../../components/refs.tsx";
import { formatDuration, useNow } from "../../lib/time.ts";

/** Questions (and approval requests, labelled as such) workers are blocked on, with how long each has waited; each opens its chat. */
export const QuestionsPanel = () => {
  const pending = usePending();
  const now = useNow();
  const items = pending.data?.items ?? [];
  return (
    <Panel title={`Open questions${items.length ? ` (${items.length})` : ""}`} className="questions">
      {items.length === 0 ? (
        <p className="empty">{pending.isPending ? "Loading…" : "No worker is waiting for an answer."}</p>
      ) : (
        <ol className="question-list">
          {items.map((q) => (
            <li key={q.requestId}>
              <Link to={`/chat/${q.conversationId}`} className="question">
                <span className="question-text">
                  {q.kind === "approval" && <ApprovalTag tool={q.tool} />}
                  {q.message}
                </span>
                <span className="question-meta">
                  <WorkerName id={q.workerId} /> waiting{" "}
                  <strong className="waiting">{formatDuration(now - Date.parse(q.createdAt))}</strong>
                </span>
              </Link>
            </li>
          ))}
        </ol>
      )}
    </Panel>
  );
};
