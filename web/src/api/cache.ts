import type {
  ActivityInfo,
  ChatMessageInfo,
  Page,
  PendingQuestion,
  ResponseBody,
  SessionInfo,
  TaskInfo,
} from "@agentvine/client";
import type { InfiniteData } from "@tanstack/react-query";
import type { TaskFilter } from "./client.ts";

type SessionStatus = SessionInfo["status"];
/** The open questions, as GET /chat/pending answers. */
export type PendingList = ResponseBody<"/api/v1/chat/pending", "get">;

/** TanStack Query keys: one place, so realtime events and views agree. */
export const keys = {
  taskLists: ["tasks"] as const,
  tasks: (filter: TaskFilter) => ["tasks", normalizeFilter(filter)] as const,
  task: (id: string) => ["task", id] as const,
  executions: (taskId: string) => ["task", taskId, "executions"] as const,
  history: (taskId: string) => ["task", taskId, "history"] as const,
  workers: ["workers"] as const,
  scale: ["scale"] as const,
  queue: ["queue"] as const,
  sessionLists: ["sessions"] as const,
  sessions: (status: SessionStatus) => ["sessions", status] as const,
  session: (id: string) => ["session", id] as const,
  messages: (conversationId: string) => ["messages", conversationId] as const,
  pending: ["pending"] as const,
  activity: ["activity"] as const,
};

/** The filter as a key: no undefined members, so {status: undefined} and {} are one list. */
export const normalizeFilter = (filter: TaskFilter): TaskFilter => {
  const out: TaskFilter = {};
  if (filter.status) out.status = filter.status;
  if (filter.taskType) out.taskType = filter.taskType;
  if (filter.priority) out.priority = filter.priority;
  return out;
};

export const matchesFilter = (task: TaskInfo, filter: TaskFilter) =>
  (!filter.status || task.status === filter.status) &&
  (!filter.taskType || task.taskType === filter.taskType) &&
  (!filter.priority || task.priority === filter.priority);

/** Newest first, as the API lists tasks (ids are time-ordered, so they break ties the same way). */
export const newestFirst = (a: { createdAt: string; id: string }, b: { createdAt: string; id: string }) =>
  a.createdAt === b.createdAt ? (a.id < b.id ? 1 : a.id > b.id ? -1 : 0) : a.createdAt < b.createdAt ? 1 : -1;

export const oldestFirst = (a: { createdAt: string; id: string }, b: { createdAt: string; id: string }) =>
  -newestFirst(a, b);

/**
 * A task changed: fold it into one cached task list (pages as loaded). It is replaced where
 * it is, removed when it no longer matches the list's filter, and inserted in order when it
 * newly matches and falls inside the loaded range (older ones arrive with later pages).
 */
export const applyTaskToPages = (
  data: InfiniteData<Page<TaskInfo>> | undefined,
  task: TaskInfo,
  filter: TaskFilter,
): InfiniteData<Page<TaskInfo>> | undefined => {
  if (!data) return data;
  const fits = matchesFilter(task, filter);
  let found = false;
  const pages = data.pages.map((page) => {
    const at = page.items.findIndex((t) => t.id === task.id);
    if (at < 0) return page;
    found = true;
    const items = page.items.slice();
    if (fits) items[at] = task;
    else items.splice(at, 1);
    return { ...page, items };
  });
  if (found || !fits) return { ...data, pages };

  // Not loaded yet: insert it if it sorts before the end of what is loaded.
  const last = pages[pages.length - 1];
  const complete = !last || last.nextCursor === null;
  for (let p = 0; p < pages.length; p++) {
    const page = pages[p] as Page<TaskInfo>;
    const at = page.items.findIndex((t) => newestFirst(task, t) < 0);
    if (at >= 0) {
      const items = page.items.slice();
      items.splice(at, 0, task);
      pages[p] = { ...page, items };
      return { ...data, pages };
    }
  }
  if (complete) {
    if (pages.length === 0)
      return { ...data, pages: [{ items: [task], nextCursor: null }], pageParams: [undefined] };
    const p = pages.length - 1;
    const page = pages[p] as Page<TaskInfo>;
    pages[p] = { ...page, items: [...page.items, task] };
  }
  return { ...data, pages };
};

/** Replaces the item with the same id, or adds it (sorted when a comparator is given). */
export const upsert = <T extends { id: string }>(items: T[], item: T, compare?: (a: T, b: T) => number) => {
  const at = items.findIndex((i) => i.id === item.id);
  const next = items.slice();
  if (at >= 0) next[at] = item;
  else next.push(item);
  return compare ? next.sort(compare) : next;
};

/** A conversation, in the order it happened: oldest first, ties by (time-ordered) id. */
export const upsertMessage = (messages: ChatMessageInfo[], message: ChatMessageInfo) =>
  upsert(messages, message, oldestFirst);

/** Open questions follow the messages: a new request opens one, an answered one closes it. */
export const applyMessageToPending = (
  pending: PendingQuestion[],
  message: ChatMessageInfo,
  now = Date.now(),
): PendingQuestion[] => {
  if (message.messageType !== "request" || message.senderType !== "worker") return pending;
  const without = pending.filter((q) => q.requestId !== message.id);
  if (message.answeredAt || message.closedAt) return without;
  if (without.length !== pending.length) return pending;
  const question: PendingQuestion = {
    requestId: message.id,
    conversationId: message.conversationId,
    taskId: message.conversationId,
    workerId: message.senderId,
    message: message.message,
    kind: message.kind ?? "question",
    tool: message.tool,
    input: message.input,
    createdAt: message.createdAt,
    waitingMs: Math.max(0, now - Date.parse(message.createdAt)),
  };
  return [...without, question].sort((a, b) =>
    a.createdAt === b.createdAt ? (a.requestId < b.requestId ? -1 : 1) : a.createdAt < b.createdAt ? -1 : 1,
  );
};

/** A session changed: it belongs in the list of its status, and in no other. */
export const applySessionToList = (
  page: Page<SessionInfo> | undefined,
  session: SessionInfo,
  status: SessionStatus,
): Page<SessionInfo> | undefined => {
  if (!page) return page;
  if (session.status === status) return { ...page, items: upsert(page.items, session, newestFirst) };
  const items = page.items.filter((s) => s.id !== session.id);
  return items.length === page.items.length ? page : { ...page, items };
};

/** The timeline gets new entries at the top, each once. */
export const prependActivity = (page: Page<ActivityInfo> | undefined, entry: ActivityInfo, cap = 100) => {
  if (!page) return page;
  if (page.items.some((a) => a.id === entry.id)) return page;
  return { ...page, items: [entry, ...page.items].slice(0, cap) };
};
