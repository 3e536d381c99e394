import type { PendingQuestion } from "@agentvine/core/chat/schema";
import type { TaskInfo } from "@agentvine/core/task/schema";
import { useQuery } from "@tanstack/react-query";
import { type KeyboardEvent, useEffect } from "react";
import { Link, NavLink, useNavigate, useParams } from "react-router";
import { keys } from "../api/cache.ts";
import { api } from "../api/client.ts";
import { usePending, useTasks } from "../api/queries.ts";
import { PriorityTag, StatusBadge } from "../components/badge.tsx";
import { ChatThread } from "../components/chat-thread.tsx";
import { WorkerName } from "../components/refs.tsx";
import { ago, formatDuration, useNow } from "../lib/time.ts";

export interface Conversation {
  taskId: string;
  task: TaskInfo | undefined;
  openCount: number;
  /** When the oldest unanswered question was asked. */
  waitingSince: string | null;
  workerId: string | null;
}

/**
 * One conversation per task, unanswered ones first (the longest-waiting at the top), then
 * tasks being worked on, then the rest, newest first.
 */
export const orderConversations = (
  pending: PendingQuestion[],
  inProgress: TaskInfo[],
  recent: TaskInfo[],
): Conversation[] => {
  const tasks = new Map<string, TaskInfo>();
  for (const t of [...recent, ...inProgress]) tasks.set(t.id, t);
  const open = new Map<string, Conversation>();
  for (const q of [...pending].sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1))) {
    const c = open.get(q.conversationId);
    if (c) c.openCount++;
    else
      open.set(q.conversationId, {
        taskId: q.conversationId,
        task: tasks.get(q.conversationId),
        openCount: 1,
        waitingSince: q.createdAt,
        workerId: q.workerId,
      });
  }
  const rest = (list: TaskInfo[]) =>
    list
      .filter((t) => !open.has(t.id))
      .map((t) => ({ taskId: t.id, task: t, openCount: 0, waitingSince: null, workerId: t.workerId }));
  const seen = new Set<string>();
  return [...open.values(), ...rest(inProgress), ...rest(recent)].filter((c) => {
    if (seen.has(c.taskId)) return false;
    seen.add(c.taskId);
    return true;
  });
};

export const ChatPage = () => {
  const { taskId } = useParams();
  const navigate = useNavigate();
  const pending = usePending();
  const inProgress = useTasks({ status: "in_progress" });
  const recent = useTasks({});
  const conversations = orderConversations(
    pending.data?.items ?? [],
    inProgress.data?.pages.flatMap((p) => p.items) ?? [],
    recent.data?.pages[0]?.items ?? [],
  );
  const firstOpen = conversations.find((c) => c.openCount > 0)?.taskId;

  // With nothing chosen, go to the question that has waited longest.
  useEffect(() => {
    if (!taskId && firstOpen) navigate(`/chat/${firstOpen}`, { replace: true });
  }, [taskId, firstOpen, navigate]);

  const onListKey = (e: KeyboardEvent<HTMLElement>) => {
    if (e.key !== "j" && e.key !== "k" && e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
    const links = [...e.currentTarget.querySelectorAll<HTMLAnchorElement>("a")];
    const at = links.indexOf(document.activeElement as HTMLAnchorElement);
    const next =
      links[Math.max(0, Math.min(links.length - 1, at + (e.key === "j" || e.key === "ArrowDown" ? 1 : -1)))];
    if (next) {
      e.preventDefault();
      next.focus();
    }
  };

  return (
    <div className="page chat-page">
      <h1 className="visually-hidden">Chat</h1>
      <nav className="conversations" aria-label="Conversations" onKeyDown={onListKey}>
        <h2 className="small-heading">Conversations</h2>
        {conversations.length === 0 && (
          <p className="empty">{recent.isPending ? "Loading…" : "No tasks yet, so no conversations."}</p>
        )}
        <ul>
          {conversations.map((c) => (
            <ConversationItem key={c.taskId} conversation={c} />
          ))}
        </ul>
      </nav>
      <section className="conversation" aria-label="Conversation">
        {taskId ? (
          <ConversationView taskId={taskId} />
        ) : (
          <p className="empty">No open questions. Pick a conversation on the left.</p>
        )}
      </section>
    </div>
  );
};

const useTaskInfo = (id: string, known?: TaskInfo) =>
  useQuery({
    queryKey: keys.task(id),
    queryFn: () => api.getTask(id),
    staleTime: 60_000,
    ...(known ? { initialData: known } : {}),
  });

const ConversationItem = ({ conversation: c }: { conversation: Conversation }) => {
  const task = useTaskInfo(c.taskId, c.task).data;
  const now = useNow();
  return (
    <li>
      <NavLink to={`/chat/${c.taskId}`} className={`conv ${c.openCount ? "conv-open" : ""}`}>
        <span className="conv-title">{task?.title ?? c.taskId.slice(0, 8)}</span>
        <span className="conv-meta">
          {c.openCount > 0 && c.waitingSince ? (
            <span className="waiting">
              {c.openCount} open · waiting {formatDuration(now - Date.parse(c.waitingSince))}
            </span>
          ) : (
            task && <StatusBadge status={task.status} />
          )}
        </span>
      </NavLink>
    </li>
  );
};

const ConversationView = ({ taskId }: { taskId: string }) => {
  const task = useTaskInfo(taskId);
  const now = useNow();
  const t = task.data;
  return (
    <>
      <header className="conversation-head">
        {t ? (
          <>
            <h2>
              <Link to={`/tasks/${t.id}`}>{t.title}</Link>
            </h2>
            <p className="task-meta">
              <StatusBadge status={t.status} /> <PriorityTag priority={t.priority} />{" "}
              {t.workerId && (
                <span className="muted">
                  worker <WorkerName id={t.workerId} />
                </span>
              )}{" "}
              <span className="muted">· updated {ago(t.updatedAt, now)}</span>
            </p>
          </>
        ) : (
          <h2>{task.error ? `Task ${taskId} not found` : "Loading…"}</h2>
        )}
      </header>
      <ChatThread conversationId={taskId} />
    </>
  );
};
