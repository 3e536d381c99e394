import { WORKER_STATUSES } from "@agentvine/core/db/enums";
import type { SessionInfo } from "@agentvine/core/session/schema";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { Link } from "react-router";
import { keys } from "../api/cache.ts";
import { api } from "../api/client.ts";
import { useActivity, usePending, useQueue, useScale, useSessions, useWorkers } from "../api/queries.ts";
import { StatusBadge } from "../components/Badge.tsx";
import { KeepAliveButton } from "../components/KeepAliveButton.tsx";
import { QueueChart } from "../components/QueueChart.tsx";
import { TaskLink, WorkerName } from "../components/refs.tsx";
import { useQueueHistory } from "../lib/queueHistory.ts";
import { ago, formatDuration, stamp, until, useNow } from "../lib/time.ts";
import { toast } from "../lib/toast.ts";

export const Dashboard = () => {
  return (
    <div className="page dashboard">
      <h1 className="visually-hidden">Dashboard</h1>
      <div className="dash-grid">
        <div className="dash-main">
          <WorkersPanel />
          <SessionsPanel />
        </div>
        <div className="dash-side">
          <QuestionsPanel />
          <QueuePanel />
          <ActivityPanel />
        </div>
      </div>
    </div>
  );
};

const Panel = ({
  title,
  actions,
  children,
  className,
}: {
  title: string;
  actions?: React.ReactNode;
  children: React.ReactNode;
  className?: string;
}) => {
  const id = useId();
  return (
    <section className={`panel ${className ?? ""}`} aria-labelledby={id}>
      <header className="panel-header">
        <h2 id={id}>{title}</h2>
        {actions}
      </header>
      {children}
    </section>
  );
};

const WorkersPanel = () => {
  const workers = useWorkers();
  const now = useNow();
  const items = [...(workers.data?.items ?? [])].sort(
    (a, b) => Number(a.status === "offline") - Number(b.status === "offline") || a.name.localeCompare(b.name),
  );
  const counts = new Map(WORKER_STATUSES.map((s) => [s, 0]));
  for (const w of items) counts.set(w.status, (counts.get(w.status) ?? 0) + 1);
  return (
    <Panel title="Workers" actions={<ScaleControl />}>
      <ul className="status-counts" aria-label="Workers by status">
        {WORKER_STATUSES.map((s) => (
          <li key={s} className={`count-chip chip-${s}`} data-empty={counts.get(s) === 0 || undefined}>
            <span className="count-num">{counts.get(s)}</span> {s}
          </li>
        ))}
      </ul>
      {items.length === 0 ? (
        <p className="empty">
          {workers.isPending
            ? "Loading…"
            : "No workers registered. Set the worker count above to start some."}
        </p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Worker</th>
                <th scope="col">Status</th>
                <th scope="col">Current task</th>
                <th scope="col">Last heartbeat</th>
              </tr>
            </thead>
            <tbody>
              {items.map((w) => (
                <tr key={w.id}>
                  <td>
                    <span className="worker-name">{w.name}</span>
                    {w.host && <span className="muted small"> {w.host}</span>}
                  </td>
                  <td>
                    <StatusBadge status={w.status} />
                  </td>
                  <td>
                    <TaskLink id={w.currentTaskId} />
                  </td>
                  <td title={w.lastHeartbeatAt}>{ago(w.lastHeartbeatAt, now)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  );
};

const ScaleControl = () => {
  const scale = useScale();
  const qc = useQueryClient();
  const [draft, setDraft] = useState<string | null>(null);
  const id = useId();
  const set = useMutation({
    mutationFn: (desired: number) => api.setScale(desired),
    onSuccess: (data) => {
      qc.setQueryData(keys.scale, data);
      setDraft(null);
      toast({ kind: "success", text: `Worker count set to ${data.desired}` });
    },
    onError: (err) => toast({ kind: "error", text: `Could not set the worker count: ${err.message}` }),
  });
  const value = draft ?? String(scale.data?.desired ?? "");
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0 || n > 100) {
      toast({ kind: "error", text: "The worker count is a whole number from 0 to 100" });
      return;
    }
    set.mutate(n);
  };
  return (
    <form className="scale" onSubmit={submit}>
      <label htmlFor={id}>Desired workers</label>
      <input
        id={id}
        type="number"
        min={0}
        max={100}
        value={value}
        onChange={(e) => setDraft(e.target.value)}
        className="num"
      />
      <button type="submit" disabled={set.isPending || draft === null}>
        Set
      </button>
      {scale.data && (
        <span className="muted small" aria-live="polite">
          {scale.data.running} running
        </span>
      )}
    </form>
  );
};

const SessionsPanel = () => {
  const active = useSessions("active");
  const idle = useSessions("idle");
  const terminated = useSessions("terminated", 8);
  const open = [...(active.data?.items ?? []), ...(idle.data?.items ?? [])].sort((a, b) =>
    a.createdAt < b.createdAt ? 1 : -1,
  );
  return (
    <Panel title="Agent sessions">
      {open.length === 0 ? (
        <p className="empty">{active.isPending ? "Loading…" : "No open sessions."}</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Session</th>
                <th scope="col">Task</th>
                <th scope="col">Worker</th>
                <th scope="col">Age</th>
                <th scope="col">Idle</th>
                <th scope="col">Reaped</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {open.map((s) => (
                <SessionRow key={s.id} session={s} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <TerminatedSessions sessions={terminated.data?.items ?? []} />
    </Panel>
  );
};

const SessionRow = ({ session: s }: { session: SessionInfo }) => {
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
      <td className={left !== null && left < 5 * 60_000 ? "warn-text" : undefined} title={s.reapAt ?? ""}>
        {until(s.reapAt, now)}
      </td>
      <td className="actions">
        <KeepAliveButton session={s} />
      </td>
    </tr>
  );
};

const TerminatedSessions = ({ sessions }: { sessions: SessionInfo[] }) => {
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

const QuestionsPanel = () => {
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
                <span className="question-text">{q.message}</span>
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

const QueuePanel = () => {
  const queue = useQueue();
  const samples = useQueueHistory((s) => s.samples);
  const now = useNow();
  const q = queue.data;
  const cells: [string, number | undefined, string?][] = [
    ["high", q?.queues.high.visible, q && q.queues.high.visible > 0 ? "urgent" : undefined],
    ["normal", q?.queues.normal.visible],
    ["low", q?.queues.low.visible],
    ["in flight", q?.totals.inFlight],
    ["DLQ", q?.totals.dead, q && q.totals.dead > 0 ? "danger" : undefined],
  ];
  return (
    <Panel title="Queue">
      <dl className="queue-stats">
        {cells.map(([label, value, cls]) => (
          <div key={label} className={cls}>
            <dt>{label}</dt>
            <dd>{value ?? "–"}</dd>
          </div>
        ))}
      </dl>
      <QueueChart samples={samples} now={now} />
      {q && (
        <p className="muted small">
          Claimed by workers: {q.claimed} · as of {stamp(q.at, now)}
        </p>
      )}
    </Panel>
  );
};

const ActivityPanel = () => {
  const activity = useActivity();
  const now = useNow();
  const items = activity.data?.items ?? [];
  return (
    <Panel title="Recent activity" className="activity">
      {items.length === 0 ? (
        <p className="empty">{activity.isPending ? "Loading…" : "Nothing has happened yet."}</p>
      ) : (
        <ol className="timeline">
          {items.slice(0, 30).map((a) => (
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
