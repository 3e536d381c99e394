import type { QueueStats } from "@agentvine/core/work-order/schema";
import { create } from "zustand";

export interface QueueSample {
  at: number;
  high: number;
  normal: number;
  low: number;
  inFlight: number;
}

/** How far back the dashboard's queue chart looks. */
export const HISTORY_MS = 10 * 60_000;

interface QueueHistory {
  samples: QueueSample[];
  record: (stats: QueueStats, at?: number) => void;
}

/** Queue depth as this browser has seen it (REST refetches and queue.stats events). */
export const useQueueHistory = create<QueueHistory>((set, get) => ({
  samples: [],
  record: (stats, at = Date.now()) => {
    const sample: QueueSample = {
      at,
      high: stats.queues.high.visible,
      normal: stats.queues.normal.visible,
      low: stats.queues.low.visible,
      inFlight: stats.totals.inFlight,
    };
    const samples = get().samples.filter((s) => s.at >= at - HISTORY_MS && s.at < at);
    set({ samples: [...samples, sample] });
  },
}));
