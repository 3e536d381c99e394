import { useQueue } from "../../api/queries.ts";
import { Panel } from "../../components/panel.tsx";
import { QueueChart } from "../../components/queue-chart.tsx";
import { useQueueHistory } from "../../lib/queue-history.ts";
import { stamp, useNow } from "../../lib/time.ts";

/** Queue depth per priority, in flight and dead letters, with the recent history as a chart. */
export const QueuePanel = () => {
  const queue = useQueue();
  const samples = useQueueHistory((s) => s.samples);
  const now = useNow();
  const q = queue.data;
  // A waiting high-priority task and any dead letter are what someone should look at.
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
