import { createApiClient, type ExecutionReport, type RequestBody, unwrap } from "@agentvine/client";

export { ApiError } from "@agentvine/client";

type Claim = RequestBody<"/api/v1/queue/claim", "post">;

/**
 * The worker's side of the REST API: the generated client (every path and type from the
 * OpenAPI document), named for what the worker does. It authenticates with the enrolment token
 * until it registers, then with the worker's own token.
 */
export class ApiClient {
  #token: string;
  readonly #api;

  constructor(
    readonly baseUrl: string,
    token: string,
  ) {
    this.#token = token;
    this.#api = createApiClient({ baseUrl, token: () => this.#token });
  }

  /** Registers with the enrolment token and switches to the worker's own token. */
  async register(input: RequestBody<"/api/v1/workers", "post">) {
    const out = await unwrap(this.#api.POST("/api/v1/workers", { body: input }));
    this.#token = out.token;
    return out.worker;
  }

  deregister = (workerId: string) =>
    unwrap(this.#api.DELETE("/api/v1/workers/{id}", { params: { path: { id: workerId } } }));
  heartbeat = (workerId: string) =>
    unwrap(
      this.#api.POST("/api/v1/workers/{id}/heartbeat", { params: { path: { id: workerId } }, body: {} }),
    );
  /** Claims the work order an SQS delivery named: the work order and its task. */
  claim = (input: Required<Pick<Claim, "workOrderId" | "receiptHandle" | "priority">> & Claim) =>
    unwrap(this.#api.POST("/api/v1/queue/claim", { body: input }));
  /** The next work order in priority order, claimed server-side (for workers that do not read SQS). */
  claimNext = async (workerId: string) =>
    (await unwrap(this.#api.POST("/api/v1/queue/claim", { body: { workerId } })))?.workOrder ?? null;
  /** Ends the work order well; the report (usage, transcript, delivery) goes onto its execution. */
  complete = (workOrderId: string, output: string, report?: ExecutionReport) =>
    unwrap(this.#api.POST("/api/v1/queue/complete", { body: { workOrderId, output, report } }));
  /** Fails the work order with the reason; a report still records what the run cost. */
  fail = (workOrderId: string, reason: string, report?: ExecutionReport) =>
    unwrap(this.#api.POST("/api/v1/queue/fail", { body: { workOrderId, reason, report } }));
  /** Parks the run of a held work order: its request waits for a person, its snapshot is stored. */
  park = (input: RequestBody<"/api/v1/queue/park", "post">) =>
    unwrap(this.#api.POST("/api/v1/queue/park", { body: input }));
  release = (workOrderId: string) =>
    unwrap(this.#api.POST("/api/v1/queue/release", { body: { workOrderId } }));
  task = (id: string) => unwrap(this.#api.GET("/api/v1/tasks/{id}", { params: { path: { id } } }));
  openSession = (input: RequestBody<"/api/v1/sessions", "post">) =>
    unwrap(this.#api.POST("/api/v1/sessions", { body: input }));
  progress = (executionId: string, progress: number, step: string) =>
    unwrap(
      this.#api.POST("/api/v1/executions/{id}/progress", {
        params: { path: { id: executionId } },
        body: { progress, step },
      }),
    );
  /** What a run ended from outside used (its session terminated, taken over, released): sent after its end. */
  lateReport = (executionId: string, report: ExecutionReport) =>
    unwrap(
      this.#api.POST("/api/v1/executions/{id}/report", {
        params: { path: { id: executionId } },
        body: report,
      }),
    );
  ask = (conversationId: string, message: string) =>
    unwrap(
      this.#api.POST("/api/v1/chat/messages", { body: { conversationId, message, messageType: "request" } }),
    );
  /** Asks a person for leave to use a tool: `message` is the one-line summary shown, `input` a JSON summary. */
  approve = (conversationId: string, request: { tool: string; input: string; message: string }) =>
    unwrap(
      this.#api.POST("/api/v1/chat/messages", {
        body: { conversationId, messageType: "request", kind: "approval", ...request },
      }),
    );
  messages = (conversationId: string, cursor?: string) =>
    unwrap(
      this.#api.GET("/api/v1/chat/messages", { params: { query: { conversationId, cursor, limit: 100 } } }),
    );
  wsTicket = () => unwrap(this.#api.POST("/api/v1/ws-ticket"));
}
