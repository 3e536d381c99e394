import type { ChatMessageInfo, Page, SessionInfo, TaskInfo } from "@agentvine/client";
import {
  type InfiniteData,
  type QueryClient,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from "@tanstack/react-query";
import { usePollInterval } from "../realtime/live.ts";
import { applyTaskToPages, keys, type PendingList, upsertMessage } from "./cache.ts";
import { api, type TaskFilter } from "./client.ts";

/** Every view's data is refetched every 5 s while the socket is down, rarely while it is live. */
const useLiveOptions = () => ({ refetchInterval: usePollInterval() });

export const useTasks = (filter: TaskFilter) => {
  const interval = usePollInterval();
  return useInfiniteQuery({
    queryKey: keys.tasks(filter),
    queryFn: ({ pageParam }) => api.listTasks(filter, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    // Refetching an infinite list refetches every loaded page: poll less once many are loaded.
    refetchInterval: (query) =>
      (query.state.data?.pages.length ?? 0) > 3 ? Math.max(interval, 15_000) : interval,
  });
};

export const useTask = (id: string) =>
  useQuery({ queryKey: keys.task(id), queryFn: () => api.getTask(id), ...useLiveOptions() });

export const useExecutions = (taskId: string) =>
  useQuery({
    queryKey: keys.executions(taskId),
    queryFn: () => api.taskExecutions(taskId),
    ...useLiveOptions(),
  });

export const useHistory = (taskId: string) =>
  useQuery({ queryKey: keys.history(taskId), queryFn: () => api.taskHistory(taskId), ...useLiveOptions() });

/** Heartbeats are not pushed (too chatty), so the workers list is refetched every 10 s even when live. */
export const useWorkers = () => {
  const interval = usePollInterval();
  return useQuery({
    queryKey: keys.workers,
    queryFn: api.listWorkers,
    refetchInterval: Math.min(interval, 10_000),
  });
};

export const useScale = () => useQuery({ queryKey: keys.scale, queryFn: api.getScale, ...useLiveOptions() });

export const useQueue = () =>
  useQuery({ queryKey: keys.queue, queryFn: () => api.queueStatus(), ...useLiveOptions() });

export const useSessions = (status: SessionInfo["status"], limit = 50) =>
  useQuery({
    queryKey: keys.sessions(status),
    queryFn: () => api.listSessions(status, limit),
    ...useLiveOptions(),
  });

export const useSession = (id: string | null | undefined) =>
  useQuery({
    queryKey: keys.session(id ?? ""),
    queryFn: () => api.getSession(id ?? ""),
    enabled: Boolean(id),
    ...useLiveOptions(),
  });

/** A whole conversation (pages followed to the end, up to 2,000 messages), oldest first. */
export const fetchConversation = async (conversationId: string): Promise<ChatMessageInfo[]> => {
  const all: ChatMessageInfo[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 20; i++) {
    const page = await api.listMessages(conversationId, cursor);
    all.push(...page.items);
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return all;
};

export const useMessages = (conversationId: string | undefined) =>
  useQuery({
    queryKey: keys.messages(conversationId ?? ""),
    queryFn: () => fetchConversation(conversationId ?? ""),
    enabled: Boolean(conversationId),
    ...useLiveOptions(),
  });

export const usePending = () =>
  useQuery({ queryKey: keys.pending, queryFn: api.pending, ...useLiveOptions() });

export const useActivity = () =>
  useQuery({ queryKey: keys.activity, queryFn: () => api.activity(), ...useLiveOptions() });

/** Writes a task the API returned into every cache that shows it. */
export const rememberTask = (qc: QueryClient, task: TaskInfo) => {
  qc.setQueryData(keys.task(task.id), task);
  for (const [key] of qc.getQueriesData<InfiniteData<Page<TaskInfo>>>({ queryKey: keys.taskLists })) {
    qc.setQueryData<InfiniteData<Page<TaskInfo>>>(key, (data) =>
      applyTaskToPages(data, task, (key[1] ?? {}) as TaskFilter),
    );
  }
};

export const useCancelTask = () => {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.cancelTask(id),
    onSuccess: (task) => rememberTask(qc, task),
  });
};

export const useRetryTask = () => {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.retryTask(id),
    onSuccess: ({ task }) => rememberTask(qc, task),
  });
};

export const useKeepAlive = () => {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.keepAlive(id),
    onSuccess: (session) => {
      qc.setQueryData(keys.session(session.id), session);
      void qc.invalidateQueries({ queryKey: keys.sessionLists });
    },
  });
};

export const useSendMessage = () => {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: api.postMessage,
    onSuccess: (message) => {
      qc.setQueryData<ChatMessageInfo[]>(keys.messages(message.conversationId), (list) => {
        if (!list) return list;
        let next = upsertMessage(list, message);
        if (message.parentMessageId) {
          next = next.map((m) =>
            m.id === message.parentMessageId && !m.answeredAt
              ? { ...m, answeredAt: message.createdAt, answerId: message.id }
              : m,
          );
        }
        return next;
      });
      if (message.parentMessageId) {
        qc.setQueryData<PendingList>(keys.pending, (data) =>
          data ? { items: data.items.filter((q) => q.requestId !== message.parentMessageId) } : data,
        );
      }
    },
  });
};
