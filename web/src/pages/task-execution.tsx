import type { ExecutionInfo } from "@agentvine/client";
import { useSession } from "../api/queries.ts";
import { StatusBadge } from "../components/badge.tsx";
import { DiffView } from "../components/diff-view.tsx";
import { ExecutionFacts } from "../components/execution-facts.tsx";
import { KeepAliveButton } from "../components/keep-alive-button.tsx";
import { WorkerName } from "../components/refs.tsx";
import { ago, formatDuration, stamp, until, useNow } from "../lib/time.ts";

/** One run of a task: progress, session, what it reported and delivered, its output and transcript. */
export const TaskExecution = ({ execution: e }: { execution: ExecutionInfo }) => {
  const now = useNow();
  const took = (e.completedAt ? Date.parse(e.completedAt) : now) - Date.parse(e.startedAt);
  return (
    <li className="execution">
      <div className="execution-head">
        <StatusBadge status={e.status} />
        <span>
          on <WorkerName id={e.workerId} />, started {stamp(e.startedAt, now)} ({formatDuration(took)})
        </span>
      </div>
      <label className="progress-row">
        <span className="visually-hidden">Progress</span>
        <progress max={100} value={e.progress} />
        <span className="small">
          {Math.round(e.progress)}%{e.step && ` · ${e.step}`}
        </span>
      </label>
      <SessionBox sessionId={e.sessionId} />
      <ExecutionFacts execution={e} />
      <DiffView files={e.files} diff={e.diff} truncated={Boolean(e.diffTruncated)} />
      {e.output && (
        <details open={e.status !== "running"}>
          <summary>Output{e.outputTruncated && " (truncated)"}</summary>
          <pre className="output">{e.output}</pre>
        </details>
      )}
      {e.transcript && (
        <details>
          <summary>Transcript{e.transcriptTruncated && " (truncated)"}</summary>
          <pre className="output transcript">{e.transcript}</pre>
        </details>
      )}
    </li>
  );
};

const SessionBox = ({ sessionId }: { sessionId: string }) => {
  const session = useSession(sessionId);
  const now = useNow();
  const s = session.data;
  if (!s) return null;
  return (
    <div className="session-box">
      <span>
        Session <code className="session-id">{s.sessionId}</code> <StatusBadge status={s.status} />
      </span>
      {s.status === "terminated" ? (
        <span className="muted small">
          terminated {ago(s.terminatedAt, now)}: {s.terminationReason}
        </span>
      ) : (
        <>
          <span className="muted small">
            idle {formatDuration(now - Date.parse(s.lastActivityAt))} · reaped {until(s.reapAt, now)}
          </span>
          <KeepAliveButton session={s} />
        </>
      )}
    </div>
  );
};
