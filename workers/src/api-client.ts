import type { ChatMessageInfo } from "@agentvine/core/chat/schema";
import type { ExecutionInfo } from "@agentvine/core/execution/schema";
import type { Page } from "@agentvine/core/page";
import type { Priority } from "@agentvine/core/resources";
import type { SessionInfo } from "@agentvine/core/session/schema";
import type { TaskInfo } from "@agentvine/core/task/schema";
import type { WorkOrderInfo } from "@agentvine/core/work-order/schema";
import type { WorkerInfo } from "@agentvine/core/worker/schema";

/** An error the API answered with: `{ error: { code, message } }` and its status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** The worker's side of the REST API, authenticated with its own token after registering. */
export class ApiClient {
  #token: string;

  constructor(
    readonly baseUrl: string,
    token: string,
  ) {
    this.#token = token;
  }

  async #call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.baseUrl}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.#token}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (res.status === 204) return null as T;
    const json = (await res.json().catch(() => ({}))) as { error?: { code: string; message: string } };
    if (!res.ok)
      throw new ApiError(res.status, json.error?.code ?? "http", json.error?.message ?? res.statusText);
    return json as T;
  }

  /** Registers with the enrolment token and switches to the worker's own token. */
  async register(input: { name: string; host?: string; pid?: number; runtimeId?: string }) {
    const out = await this.#call<{ worker: WorkerInfo; token: string }>("POST", "/workers", input);
    this.#token = out.token;
    return out.worker;
  }

  deregister = (workerId: string) => this.#call<null>("DELETE", `/workers/${workerId}`);
  heartbeat = (workerId: string) =>
    this.#call<{ worker: WorkerInfo; leaseLost: boolean }>("POST", `/workers/${workerId}/heartbeat`, {});
  claim = (input: { workerId: string; workOrderId: string; receiptHandle: string; priority: Priority }) =>
    this.#call<{ workOrder: WorkOrderInfo }>("POST", "/queue/claim", input).then((r) => r.workOrder);
  /** The next work order in priority order, claimed server-side (for workers that do not read SQS). */
  claimNext = (workerId: string) =>
    this.#call<{ workOrder: WorkOrderInfo } | null>("POST", "/queue/claim", { workerId }).then(
      (r) => r?.workOrder ?? null,
    );
  complete = (workOrderId: string, output: string) =>
    this.#call<{ workOrder: WorkOrderInfo }>("POST", "/queue/complete", { workOrderId, output });
  fail = (workOrderId: string, reason: string) =>
    this.#call<{ workOrder: WorkOrderInfo }>("POST", "/queue/fail", { workOrderId, reason });
  release = (workOrderId: string) =>
    this.#call<{ workOrder: WorkOrderInfo }>("POST", "/queue/release", { workOrderId });
  task = (id: string) => this.#call<TaskInfo>("GET", `/tasks/${id}`);
  openSession = (input: { sessionId: string; workerId: string; taskId: string }) =>
    this.#call<SessionInfo>("POST", "/sessions", input);
  progress = (executionId: string, progress: number, step: string) =>
    this.#call<ExecutionInfo>("POST", `/executions/${executionId}/progress`, { progress, step });
  ask = (conversationId: string, message: string) =>
    this.#call<ChatMessageInfo>("POST", "/chat/messages", {
      conversationId,
      message,
      messageType: "request",
    });
  messages = (conversationId: string, cursor?: string) =>
    this.#call<Page<ChatMessageInfo>>(
      "GET",
      `/chat/messages?conversationId=${encodeURIComponent(conversationId)}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
    );
  wsTicket = () => this.#call<{ ticket: string; url: string }>("POST", "/ws-ticket");
}
