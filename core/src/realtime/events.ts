/**
 * Realtime events as clients receive them: `{ type, data }`. The type names are a contract
 * with the web UI and the worker.
 */
export const EVENT_TYPES = [
  "task.updated",
  "worker.updated",
  "session.updated",
  "execution.updated",
  "chat.message",
  "queue.stats",
  "activity.created",
  "pong",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface RealtimeEvent<T = unknown> {
  type: EventType;
  data: T;
}

/** Who gets an event: every person watching, and/or particular workers (by worker id). */
export interface Audience {
  humans: boolean;
  workerIds?: string[];
}
