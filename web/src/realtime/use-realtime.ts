import type { TaskInfo } from "@agentvine/client";
import { useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { keys } from "../api/cache.ts";
import { useAuth } from "../auth/store.ts";
import { announceQuestion } from "../lib/notify.ts";
import { useQueueHistory } from "../lib/queue-history.ts";
import { applyEvent } from "./apply.ts";
import { browserSocket } from "./client.ts";
import { useLive } from "./live.ts";

/**
 * Opens the one WebSocket for the signed-in session and folds its events into the query
 * caches; after every (re)connect, everything on screen is refetched over REST.
 */
export const useRealtime = () => {
  const qc = useQueryClient();
  const token = useAuth((s) => s.token);
  useEffect(() => {
    if (!token) return;
    let statsTimer: ReturnType<typeof setTimeout> | undefined;
    const refreshStats = () => {
      if (statsTimer) return;
      statsTimer = setTimeout(() => {
        statsTimer = undefined;
        void qc.invalidateQueries({ queryKey: keys.queue });
      }, 500);
    };
    const client = browserSocket({
      onEvent: (event) =>
        applyEvent(qc, event, {
          onQuestion: (message) =>
            announceQuestion(message, qc.getQueryData<TaskInfo>(keys.task(message.conversationId))?.title),
          onQueueMayHaveChanged: refreshStats,
        }),
      onStatus: (status) => useLive.setState(status),
      onResync: () => void qc.invalidateQueries(),
    });
    useLive.setState({ reconnect: () => client.reconnectNow() });
    client.start();

    // Every queue number the browser sees, from REST or an event, feeds the dashboard chart.
    const unsubscribe = qc.getQueryCache().subscribe((e) => {
      if (e.type === "updated" && e.action.type === "success" && e.query.queryKey[0] === keys.queue[0]) {
        const data = e.query.state.data;
        if (data) useQueueHistory.getState().record(data);
      }
    });
    const wake = () => client.reconnectNow();
    const onVisible = () => document.visibilityState === "visible" && wake();
    window.addEventListener("online", wake);
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      client.stop();
      unsubscribe();
      if (statsTimer) clearTimeout(statsTimer);
      window.removeEventListener("online", wake);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, [token, qc]);
};
