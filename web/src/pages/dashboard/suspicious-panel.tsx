import { Link } from "react-router";
import { useTasks } from "../../api/queries.ts";
import { Panel } from "../../components/panel.tsx";
import { ago, useNow } from "../../lib/time.ts";

/**
 * Runs that completed yet look like they did nothing (empty output, or a Claude Code run that
 * changed no file), among the latest completed tasks; the realtime task events keep the list.
 */
export const SuspiciousPanel = () => {
  const completed = useTasks({ status: "completed" });
  const now = useNow();
  const flagged = (completed.data?.pages[0]?.items ?? []).filter((t) => t.suspicious);
  return (
    <Panel title={`Suspicious runs${flagged.length ? ` (${flagged.length})` : ""}`} className="suspicious">
      {flagged.length === 0 ? (
        <p className="empty">
          {completed.isPending ? "Loading…" : "No recent run completed without doing anything."}
        </p>
      ) : (
        <ul className="suspicious-list">
          {flagged.map((t) => (
            <li key={t.id}>
              <Link to={`/tasks/${t.id}`}>{t.title}</Link>
              <span className="reason">{t.suspicious}</span>
              <span className="muted small">completed {ago(t.completedAt, now)}</span>
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
};
