import { Link } from "react-router";
import { useActivity } from "../../api/queries.ts";
import { Panel } from "../../components/panel.tsx";
import { ago, useNow } from "../../lib/time.ts";

/** Only the latest events, so the side column stays short. */
const SHOWN = 30;

/** What happened lately, newest first; events about a task link to it. */
export const ActivityPanel = () => {
  const activity = useActivity();
  const now = useNow();
  const items = activity.data?.items ?? [];
  return (
    <Panel title="Recent activity" className="activity">
      {items.length === 0 ? (
        <p className="empty">{activity.isPending ? "Loading…" : "Nothing has happened yet."}</p>
      ) : (
        <ol className="timeline">
          {items.slice(0, SHOWN).map((a) => (
            <li key={a.id} className={`tl tl-${a.type.split(".")[0]}`}>
              <span className="tl-time" title={a.createdAt}>
                {ago(a.createdAt, now)}
              </span>
              <span className="tl-text">
                {a.taskId ? <Link to={`/tasks/${a.taskId}`}>{a.summary}</Link> : a.summary}
              </span>
            </li>
          ))}
        </ol>
      )}
    </Panel>
  );
};
