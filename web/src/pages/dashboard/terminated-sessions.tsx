import type { SessionInfo } from "@agentvine/core/session/schema";
import { TaskLink } from "../../components/refs.tsx";
import { ago, useNow } from "../../lib/time.ts";

/** Recently ended sessions with why they ended (e.g. reaped when idle). */
export const TerminatedSessions = ({ sessions }: { sessions: SessionInfo[] }) => {
  const now = useNow();
  if (sessions.length === 0) return null;
  return (
    <details className="terminated" open>
      <summary>Recently terminated ({sessions.length})</summary>
      <ul className="plain-list">
        {sessions.map((s) => (
          <li key={s.id}>
            <code className="session-id">{s.sessionId}</code> <span className="arrow">→</span>{" "}
            <TaskLink id={s.taskId} /> <span className="muted">· {ago(s.terminatedAt, now)} ·</span>{" "}
            <span className="reason">{s.terminationReason ?? "terminated"}</span>
          </li>
        ))}
      </ul>
    </details>
  );
};
