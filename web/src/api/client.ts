import {
  type ApiClient,
  ApiError,
  createApiClient,
  type Query,
  type RequestBody,
  unwrap,
} from "@agentvine/client";

export { ApiError } from "@agentvine/client";

/**
 * The REST client: the generated one, plus what the UI needs around it (the signed-in token,
 * the reachability banner). Same origin by default (npm start serves the UI and the API on one
 * port); a static deployment sets VITE_API_URL at build time.
 */
export const API_BASE = (import.meta.env.VITE_API_URL ?? "").replace(/\/$/, "");

/** The task list's filter: the list route's query without its paging. */
export type TaskFilter = Pick<Query<"/api/v1/tasks", "get">, "status" | "taskType" | "priority">;
export type NewMessage = RequestBody<"/api/v1/chat/messages", "post">;

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

/** Relative URLs need a base outside the browser too (jsdom, where `fetch` takes only absolute ones). */
const origin = () => API_BASE || window.location.origin;
const client = (token: () => string | null): ApiClient => createApiClient({ baseUrl: origin(), token });
const signedIn = client(() => currentToken);

/** One call through the signed-in client; its outcome is told to the listeners. */
const call = async <T>(request: Promise<{ data?: T; error?: unknown; response: Response }>) => {
  try {
    const data = await unwrap(request);
    for (const l of listeners) l({ ok: true });
    return data;
  } catch (err) {
    if (err instanceof ApiError)
      for (const l of listeners) l({ ok: err.status > 0 && err.status < 500, error: err });
    throw err;
  }
};

const id = (value: string) => ({ params: { path: { id: value } } });

export const api = {
  /** With a token: checks that token (the sign-in screen) without telling the listeners. */
  queueStatus: (token?: string) =>
    token
      ? unwrap(client(() => token).GET("/api/v1/queue/status"))
      : call(signedIn.GET("/api/v1/queue/status")),
  listTasks: (filter: TaskFilter, cursor?: string, limit = 100) =>
    call(signedIn.GET("/api/v1/tasks", { params: { query: { ...filter, cursor, limit } } })),
  getTask: (taskId: string) => call(signedIn.GET("/api/v1/tasks/{id}", id(taskId))),
  createTask: (input: RequestBody<"/api/v1/tasks", "post">) =>
    call(signedIn.POST("/api/v1/tasks", { body: input })),
  cancelTask: (taskId: string) =>
    call(signedIn.PATCH("/api/v1/tasks/{id}", { ...id(taskId), body: { status: "cancelled" } })),
  retryTask: (taskId: string) => call(signedIn.POST("/api/v1/queue/enqueue", { body: { taskId } })),
  taskExecutions: (taskId: string) =>
    call(
      signedIn.GET("/api/v1/tasks/{id}/executions", {
        params: { path: { id: taskId }, query: { limit: 20 } },
      }),
    ),
  taskHistory: (taskId: string) =>
    call(
      signedIn.GET("/api/v1/tasks/{id}/history", { params: { path: { id: taskId }, query: { limit: 100 } } }),
    ),
  listWorkers: () => call(signedIn.GET("/api/v1/workers", { params: { query: { limit: 100 } } })),
  getScale: () => call(signedIn.GET("/api/v1/workers-scale")),
  setScale: (desired: number) => call(signedIn.PUT("/api/v1/workers-scale", { body: { desired } })),
  listSessions: (status: Query<"/api/v1/sessions", "get">["status"], limit = 50) =>
    call(signedIn.GET("/api/v1/sessions", { params: { query: { status, limit } } })),
  getSession: (sessionId: string) => call(signedIn.GET("/api/v1/sessions/{id}", id(sessionId))),
  keepAlive: (sessionId: string) => call(signedIn.POST("/api/v1/sessions/{id}/heartbeat", id(sessionId))),
  listMessages: (conversationId: string, cursor?: string) =>
    call(
      signedIn.GET("/api/v1/chat/messages", { params: { query: { conversationId, cursor, limit: 100 } } }),
    ),
  postMessage: (input: NewMessage) => call(signedIn.POST("/api/v1/chat/messages", { body: input })),
  pending: () => call(signedIn.GET("/api/v1/chat/pending")),
  activity: (limit = 40) => call(signedIn.GET("/api/v1/activity", { params: { query: { limit } } })),
  wsTicket: () => call(signedIn.POST("/api/v1/ws-ticket")),
  getPolicy: () => call(signedIn.GET("/api/v1/policy")),
  putPolicy: (body: RequestBody<"/api/v1/policy", "put">) => call(signedIn.PUT("/api/v1/policy", { body })),
  audit: (limit = 20) => call(signedIn.GET("/api/v1/audit", { params: { query: { limit } } })),
};
