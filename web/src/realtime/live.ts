import { create } from "zustand";
import type { LiveStatus } from "./client.ts";

interface LiveStore extends LiveStatus {
  reconnect: () => void;
}

/** Whether the view is live (the socket is open), for the indicator and the polling fallback. */
export const useLive = create<LiveStore>(() => ({
  state: "stopped",
  attempt: 0,
  retryAt: null,
  error: null,
  lastMessageAt: null,
  reconnect: () => {},
}));

/** The seed's 5-second refetch is the fallback while the socket is down; live views poll rarely. */
export const usePollInterval = () => (useLive((s) => s.state === "live") ? 60_000 : 5_000);
