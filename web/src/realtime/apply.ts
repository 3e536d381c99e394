import type {
  ActivityInfo,
  ChatMessageInfo,
  ExecutionInfo,
  Page,
  QueueStats,
  SessionInfo,
  TaskInfo,
  WorkerInfo,
} from "@agentvine/client";
import { SESSION_STATUSES } from "@agentvine/core/db/enums";
import type { RealtimeEvent } from "@agentvine/core/realtime/events";
import type { InfiniteData, QueryClient } from "@tanstack/react-query";
import {
  applyMessageToPending,
  applySessionToList,
  applyTaskToPages,
  keys,
  type PendingList,
  prependActivity,
  upsert,
  upsertMessage,
} from "../api/cache.ts";
import type { TaskFilter } from "../api/client.ts";

const latestStartFirst = (a: ExecutionInfo, b: ExecutionInfo) =>
  a.startedAt === b.startedAt ? 0 : a.startedAt < b.startedAt ? 1 : -1;

export interface ApplyHooks {
  /** A worker asked something new. */
  onQuestion?: (message: ChatMessageInfo) => void;
  /** Queue numbers changed (or may have): the chart samples them. */
  onQueueStats?: (stats: QueueStats) => void;
  /** Something changed that moves queue depth; the caller refreshes stats (debounced). */
  onQueueMayHaveChanged?: () => void;
}

/** Folds one realtime event into the TanStack Query caches: the views re-render from there. */
export const applyEvent = (qc: QueryClient, event: RealtimeEvent, hooks: ApplyHooks = {}) => {
  switch (event.type) {
    case "task.updated": {
      const task = event.data;
      qc.setQueryData(keys.task(task.id), task);
      for (const [key] of qc.getQueriesData<InfiniteData<Page<TaskInfo>>>({ queryKey: keys.taskLists })) {
        const filter = (key[1] ?? {}) as TaskFilter;
        qc.setQueryData<InfiniteData<Page<TaskInfo>>>(key, (data) => applyTaskToPages(data, task, filter));
      }
      void qc.invalidateQueries({ queryKey: keys.history(task.id), exact: true });
      hooks.onQueueMayHaveChanged?.();
      return;
    }
    case "worker.updated": {
      const worker = event.data;
      qc.setQueryData<Page<WorkerInfo>>(keys.workers, (page) =>
        page ? { ...page, items: upsert(page.items, worker) } : page,
      );
      return;
    }
    case "session.updated": {
      const session = event.data;
      qc.setQueryData(keys.session(session.id), session);
      qc.setQueryData(keys.session(session.sessionId), session);
      for (const status of SESSION_STATUSES) {
        qc.setQueryData<Page<SessionInfo>>(keys.sessions(status), (page) =>
          applySessionToList(page, session, status),
        );
      }
      return;
    }
    case "execution.updated": {
      const execution = event.data;
      qc.setQueryData<Page<ExecutionInfo>>(keys.executions(execution.taskId), (page) =>
        page ? { ...page, items: upsert(page.items, execution, latestStartFirst) } : page,
      );
      // A large transcript or diff does not fit in a WebSocket message: the event leaves them
      // out (null), and an ended execution's are read over REST.
      if (execution.completedAt && (execution.transcript === null || execution.diff === null))
        void qc.invalidateQueries({ queryKey: keys.executions(execution.taskId), exact: true });
      return;
    }
    case "chat.message": {
      const message = event.data;
      const known = qc
        .getQueryData<ChatMessageInfo[]>(keys.messages(message.conversationId))
        ?.some((m) => m.id === message.id);
      qc.setQueryData<ChatMessageInfo[]>(keys.messages(message.conversationId), (list) =>
        list ? upsertMessage(list, message) : list,
      );
      const before = qc.getQueryData<PendingList>(keys.pending);
      qc.setQueryData<PendingList>(keys.pending, (data) =>
        data ? { items: applyMessageToPending(data.items, message) } : data,
      );
      const isNewQuestion =
        message.messageType === "request" &&
        !message.answeredAt &&
        !message.closedAt &&
        !known &&
        !before?.items.some((q) => q.requestId === message.id);
      if (isNewQuestion) hooks.onQuestion?.(message);
      // A pending list never loaded (or loaded elsewhere) still learns about it.
      if (!before) void qc.invalidateQueries({ queryKey: keys.pending });
      return;
    }
    case "queue.stats": {
      const stats = event.data;
      qc.setQueryData(keys.queue, stats);
      hooks.onQueueStats?.(stats);
      return;
    }
    case "activity.created": {
      const entry = event.data;
      qc.setQueryData<Page<ActivityInfo>>(keys.activity, (page) => prependActivity(page, entry));
      if (entry.type === "workers.scaled") void qc.invalidateQueries({ queryKey: keys.scale });
      return;
    }
    default:
      return;
  }
};
