import { useReachability } from "../app/setup.ts";
import { ago, formatDuration, useNow } from "../lib/time.ts";
import { useLive } from "../realtime/live.ts";

/**
 * Honest about liveness: "Live" only while the socket is open; otherwise what the view does
 * instead (reconnecting in n s, polling every 5 s) and a way to retry now.
 */
export const LiveIndicator = () => {
  const live = useLive();
  const reachable = useReachability((s) => s.reachable);
  const now = useNow();
  let label: string;
  let tone: "live" | "warn" | "down";
  let detail: string;
  if (live.state === "live") {
    label = "Live";
    tone = "live";
    detail = `Real-time updates are on (last message ${ago(live.lastMessageAt ? new Date(live.lastMessageAt).toISOString() : null, now)}).`;
  } else if (live.state === "connecting") {
    label = "Connecting…";
    tone = "warn";
    detail = "Opening the real-time connection; refreshing every 5 s meanwhile.";
  } else if (live.state === "reconnecting") {
    const wait = live.retryAt ? live.retryAt - now : 0;
    label = wait > 0 ? `Not live · retry in ${formatDuration(wait)}` : "Not live · reconnecting…";
    tone = reachable ? "warn" : "down";
    detail = `${live.error ?? "The real-time connection dropped"}. Refreshing every 5 s until it is back.`;
  } else {
    label = "Not live";
    tone = "down";
    detail = "No real-time connection.";
  }
  return (
    <div className={`live live-${tone}`} title={detail}>
      <span className="live-dot" aria-hidden="true" />
      <span role="status" aria-live="polite">
        {label}
      </span>
      {live.state === "reconnecting" && (
        <button type="button" className="link" onClick={live.reconnect}>
          Reconnect now
        </button>
      )}
    </div>
  );
};
