import { WORKER_STATUSES } from "@agentvine/core/db/enums";
import { useWorkers } from "../../api/queries.ts";
import { StatusBadge } from "../../components/badge.tsx";
import { Panel } from "../../components/panel.tsx";
import { TaskLink } from "../../components/refs.tsx";
import { ago, useNow } from "../../lib/time.ts";
import { ScaleControl } from "./scale-control.tsx";

/** Every worker with its status, current task and heartbeat; offline ones sink to the bottom. */
export const WorkersPanel = () => {
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
