import { HISTORY_MS, type QueueSample } from "../lib/queue-history.ts";

const SERIES = [
  { key: "high", label: "high" },
  { key: "normal", label: "normal" },
  { key: "low", label: "low" },
  { key: "inFlight", label: "in flight" },
] as const;

/**
 * Queue depth over the last minutes as step lines (a value holds until the next sample),
 * drawn up to now. Plain SVG: no chart library in the bundle.
 */
export const QueueChart = ({
  samples,
  now,
  width = 320,
  height = 90,
}: {
  samples: QueueSample[];
  now: number;
  width?: number;
  height?: number;
}) => {
  // The window grows from the first sample this page saw up to HISTORY_MS (at least a minute).
  const span = Math.min(HISTORY_MS, Math.max(60_000, now - (samples[0]?.at ?? now)));
  const from = now - span;
  const visible = samples.filter((s) => s.at >= from);
  // The value in force at the left edge is the last sample before it.
  const before = samples.filter((s) => s.at < from).at(-1);
  const points = before ? [{ ...before, at: from }, ...visible] : visible;
  const max = Math.max(1, ...points.flatMap((s) => [s.high, s.normal, s.low, s.inFlight]));
  const x = (at: number) => ((at - from) / span) * width;
  const y = (v: number) => height - 4 - (v / max) * (height - 10);
  const path = (key: (typeof SERIES)[number]["key"]) => {
    if (points.length === 0) return "";
    let d = "";
    points.forEach((s, i) => {
      const px = x(s.at).toFixed(1);
      const py = y(s[key]).toFixed(1);
      d += i === 0 ? `M${px},${py}` : `H${px}V${py}`;
    });
    return `${d}H${width}`;
  };
  const last = points.at(-1);
  const minutes = Math.max(1, Math.round(span / 60_000));
  const summary = last
    ? `Queue depth over the last ${minutes} min; now high ${last.high}, normal ${last.normal}, low ${last.low}, in flight ${last.inFlight}; peak ${max}.`
    : "No queue samples yet.";
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${width} ${height}`} width="100%" height={height} role="img" aria-label={summary}>
        <line x1="0" x2={width} y1={y(0)} y2={y(0)} className="chart-axis" />
        <text x="2" y="10" className="chart-label">
          {max}
        </text>
        {SERIES.map((s) => (
          <path key={s.key} d={path(s.key)} className={`chart-line chart-${s.key}`} />
        ))}
      </svg>
      <figcaption className="chart-legend">
        {SERIES.map((s) => (
          <span key={s.key} className={`legend legend-${s.key}`}>
            {s.label}
          </span>
        ))}
        <span className="muted">last {minutes} min</span>
      </figcaption>
    </figure>
  );
};
