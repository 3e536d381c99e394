import type { ActivityInfo } from "@agentvine/core/activity/schema";
import type { ChatMessageInfo, PendingQuestion } from "@agentvine/core/chat/schema";
import type { SessionStatus, TaskStatus, TaskType } from "@agentvine/core/db/enums";
import type { ExecutionInfo } from "@agentvine/core/execution/schema";
import type { Page } from "@agentvine/core/page";
import type { Priority } from "@agentvine/core/resources";
import type { SessionInfo } from "@agentvine/core/session/schema";
import type { CreateTaskInput, TaskInfo } from "@agentvine/core/task/schema";
import type { QueueStats, WorkOrderInfo } from "@agentvine/core/work-order/schema";
import type { WorkerInfo } from "@agentvine/core/worker/schema";

/**
 * The REST client. Same origin by default (npm start serves the UI and the API on one port);
 * a static deployment sets VITE_API_URL at build time.
 */
export const API_BASE = (import.meta.env.VITE_API_URL ?? "").replace(/\/$/, "");

/** An API failure as the API describes it: `{ error: { code, message, details: { fields } } }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }
  /** No answer at all: the API is down or the network is. */
  get unreachable() {
    return this.status === 0;
  }
}

export interface TaskFilter {
  status?: TaskStatus | undefined;
  taskType?: TaskType | undefined;
  priority?: Priority | undefined;
}

export interface ScaleInfo {
  desired: number;
  running: number;
}

type Listener = (event: { ok: boolean; error?: ApiError }) => void;
const listeners = new Set<Listener>();
/** Every request's outcome, for the reachability banner and the 401 sign-out. */
export const onApiResult = (listener: Listener) => {
  listeners.add(listener);
  return () => void listeners.delete(listener);
};

let currentToken: string | null = null;
export const setApiToken = (token: string | null) => {
  currentToken = token;
};

const query = (params: Record<string, string | number | undefined | null>) => {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
};

const errorFrom = async (res: Response): Promise<ApiError> => {
  try {
    const body = (await res.json()) as {
      error?: { code?: string; message?: string; details?: { fields?: Record<string, string> } };
    };
    if (body.error?.message) {
      return new ApiError(
        res.status,
        body.error.code ?? `http_${res.status}`,
        body.error.message,
        body.error.details?.fields ?? {},
      );
    }
  } catch {
    // not JSON: fall through
  }
  return new ApiError(res.status, `http_${res.status}`, `${res.status} ${res.statusText || "error"}`);
};

/** One API call. `token` overrides the signed-in token (the sign-in screen checks one first). */
export const request = async <T>(
  method: string,
  path: string,
  body?: unknown,
  options: { token?: string; notify?: boolean } = {},
): Promise<T> => {
  const token = options.token ?? currentToken;
  const headers: Record<string, string> = { accept: "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const notify = (event: Parameters<Listener>[0]) => {
    if (options.notify !== false) for (const l of listeners) l(event);
  };
  let res: Response;
  try {
    res = await fetch(`${API_BASE}/api/v1${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch (err) {
    const error = new ApiError(
      0,
      "unreachable",
      `Cannot reach the API at ${API_BASE || window.location.origin} (${(err as Error).message})`,
    );
    notify({ ok: false, error });
    throw error;
  }
  if (!res.ok) {
    const error = await errorFrom(res);
    notify({ ok: res.status < 500, error });
    throw error;
  }
  notify({ ok: true });
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
};

const get = <T>(path: string) => request<T>("GET", path);

export const api = {
  queueStatus: (token?: string) =>
    request<QueueStats>("GET", "/queue/status", undefined, token ? { token, notify: false } : {}),
  listTasks: (filter: TaskFilter, cursor?: string, limit = 100) =>
    get<Page<TaskInfo>>(`/tasks${query({ ...filter, cursor, limit })}`),
  getTask: (id: string) => get<TaskInfo>(`/tasks/${encodeURIComponent(id)}`),
  createTask: (input: CreateTaskInput) => request<TaskInfo>("POST", "/tasks", input),
  cancelTask: (id: string) =>
    request<TaskInfo>("PATCH", `/tasks/${encodeURIComponent(id)}`, { status: "cancelled" }),
  retryTask: (taskId: string) =>
    request<{ task: TaskInfo; workOrder: WorkOrderInfo }>("POST", "/queue/enqueue", { taskId }),
  taskExecutions: (id: string) =>
    get<Page<ExecutionInfo>>(`/tasks/${encodeURIComponent(id)}/executions${query({ limit: 20 })}`),
  taskHistory: (id: string) =>
    get<Page<ActivityInfo>>(`/tasks/${encodeURIComponent(id)}/history${query({ limit: 100 })}`),
  listWorkers: () => get<Page<WorkerInfo>>(`/workers${query({ limit: 100 })}`),
  getScale: () => get<ScaleInfo>("/workers-scale"),
  setScale: (desired: number) => request<ScaleInfo>("PUT", "/workers-scale", { desired }),
  listSessions: (status: SessionStatus, limit = 50) =>
    get<Page<SessionInfo>>(`/sessions${query({ status, limit })}`),
  getSession: (id: string) => get<SessionInfo>(`/sessions/${encodeURIComponent(id)}`),
  keepAlive: (id: string) => request<SessionInfo>("POST", `/sessions/${encodeURIComponent(id)}/heartbeat`),
  listMessages: (conversationId: string, cursor?: string) =>
    get<Page<ChatMessageInfo>>(`/chat/messages${query({ conversationId, cursor, limit: 100 })}`),
  postMessage: (input: {
    conversationId: string;
    message: string;
    messageType: "response" | "status";
    parentMessageId?: string;
  }) => request<ChatMessageInfo>("POST", "/chat/messages", input),
  pending: () => get<{ items: PendingQuestion[] }>("/chat/pending"),
  activity: (limit = 40) => get<Page<ActivityInfo>>(`/activity${query({ limit })}`),
  wsTicket: () => request<{ ticket: string; url: string }>("POST", "/ws-ticket"),
};
