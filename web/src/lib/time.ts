import { useSyncExternalStore } from "react";

/** "45s", "3m 12s", "1h 04m", "2d 3h": short enough for a table cell. */
export const formatDuration = (ms: number): string => {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, "0")}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h ${String(m % 60).padStart(2, "0")}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
};

/** "12s ago" / "just now" for a past instant. */
export const ago = (iso: string | null | undefined, now: number): string => {
  if (!iso) return "never";
  const ms = now - Date.parse(iso);
  if (ms < 2000) return "just now";
  return `${formatDuration(ms)} ago`;
};

/** "in 29m 10s" for a future instant; "due" once it has passed. */
export const until = (iso: string | null | undefined, now: number): string => {
  if (!iso) return "—";
  const ms = Date.parse(iso) - now;
  return ms <= 0 ? "due" : `in ${formatDuration(ms)}`;
};

const clock = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" });
const dated = new Intl.DateTimeFormat(undefined, {
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
});

/** A timestamp: time only when it is today, else date and time. */
export const stamp = (iso: string | null | undefined, now = Date.now()): string => {
  if (!iso) return "—";
  const d = new Date(iso);
  return new Date(now).toDateString() === d.toDateString() ? clock.format(d) : dated.format(d);
};

// One shared 1-second ticker for every live duration on screen.
let now = Date.now();
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;
const subscribe = (listener: () => void) => {
  listeners.add(listener);
  if (!timer) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      for (const l of listeners) l();
    }, 1000);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
};

/** The current time, re-rendering once a second while mounted. */
export const useNow = () =>
  useSyncExternalStore(
    subscribe,
    () => now,
    () => now,
  );
