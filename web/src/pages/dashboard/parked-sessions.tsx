import type { SessionInfo } from "@agentvine/core/session/schema";
import { StatusBadge } from "../../components/badge.tsx";
import { TaskLink } from "../../components/refs.tsx";
import { formatDuration, until, useNow } from "../../lib/time.ts";

/**
 * Sessions parked on a person: no worker holds them, their state waits in the blob store until
 * an answer resumes them. Longest waiting first; each links to its task's chat, where the answer
 * is given.
 */
export const ParkedSessions = ({ sessions }: { sessions: SessionInfo[] }) => {
  const now = useNow();
  if (sessions.length === 0) return null;
  const waited = (s: SessionInfo) => (s.parkedAt ? now - Date.parse(s.parkedAt) : null);
  const longestFirst = [...sessions].sort((a, b) => (waited(b) ?? -1) - (waited(a) ?? -1));
  return (
    <div className="parked">
      <h3>Parked, waiting on a person ({sessions.length})</h3>
      <ul className="plain-list" aria-label="Parked sessions">
        {longestFirst.map((s) => {
          const ms = waited(s);
          return (
            <li key={s.id}>
              <StatusBadge status={s.status} /> <code className="session-id">{s.sessionId}</code>{" "}
              <span className="arrow" aria-hidden="true">
                →
              </span>{" "}
              <TaskLink id={s.taskId} to={s.taskId ? `/chat/${s.taskId}` : undefined} />{" "}
              <span className="muted">· waiting</span>{" "}
              <strong className="waiting">{ms === null ? "—" : formatDuration(ms)}</strong>
              {s.reapAt && <span className="muted"> · reaped {until(s.reapAt, now)}</span>}
            </li>
          );
        })}
      </ul>
    </div>
  );
};
