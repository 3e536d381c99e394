import type { SessionInfo } from "@agentvine/core/session/schema";
import { KeepAliveButton } from "../../components/keep-alive-button.tsx";
import { TaskLink, WorkerName } from "../../components/refs.tsx";
import { formatDuration, until, useNow } from "../../lib/time.ts";

/** The last five minutes before the reaper are flagged, while Keep alive can still save it. */
const REAP_WARNING_MS = 5 * 60_000;

/** One open session: which task and worker it maps to, its age, idle time and reap countdown. */
export const SessionRow = ({ session: s }: { session: SessionInfo }) => {
  const now = useNow();
  const left = s.reapAt ? Date.parse(s.reapAt) - now : null;
  return (
    <tr>
      <td>
        <code className="session-id" title={s.sessionId}>
          {s.sessionId}
        </code>
        <span className="arrow" aria-hidden="true">
          →
        </span>
        <span className="visually-hidden">maps to</span>
      </td>
      <td>
        <TaskLink id={s.taskId} />
      </td>
      <td>
        <WorkerName id={s.workerId} />
      </td>
      <td>{formatDuration(now - Date.parse(s.createdAt))}</td>
      <td>{formatDuration(now - Date.parse(s.lastActivityAt))}</td>
      <td
        className={left !== null && left < REAP_WARNING_MS ? "warn-text" : undefined}
        title={s.reapAt ?? ""}
      >
        {until(s.reapAt, now)}
      </td>
      <td className="actions">
        <KeepAliveButton session={s} />
      </td>
    </tr>
  );
};
