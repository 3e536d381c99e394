/**
 * The REST API on the real local engines: a fresh testCtx, the Hono app, and tokens for every
 * human role plus the worker enrolment token. Requests go through `app.request(...)`, so the
 * whole stack (auth middleware, validation, error mapping, core, DynamoDB, SQS) runs.
 */

import * as Auth from "@agentvine/core/auth/service";
import type { Config } from "@agentvine/core/config";
import { hashSecret } from "@agentvine/core/ids";
import type { PushPort } from "@agentvine/core/ports/push";
import type { WebhookQueuePort } from "@agentvine/core/ports/webhook-queue";
import type { SessionInfo } from "@agentvine/core/session/schema";
import type { TaskInfo } from "@agentvine/core/task/schema";
import type { WorkOrderInfo } from "@agentvine/core/work-order/schema";
import type { WorkerInfo } from "@agentvine/core/worker/schema";
import { createApp } from "@agentvine/functions/api/app";
import { beforeAll, expect } from "vitest";
import { type TestCtx, testCtx } from "./context.ts";

export const WS_PATH = "/api/v1/chat/ws";

export interface Reply<T = any> {
  status: number;
  /** Parsed JSON when the response is JSON, the text otherwise, null when empty. */
  body: T;
  headers: Headers;
}

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface ApiHarness {
  ctx: TestCtx;
  app: ReturnType<typeof createApp>;
  tokens: { admin: string; operator: string; viewer: string; enrolment: string };
  /**
   * One request. `body`: an object is sent as JSON; a string is sent as-is with a JSON content
   * type (to send malformed JSON); undefined sends no body.
   */
  call<T = any>(method: Method, path: string, token?: string, body?: unknown): Promise<Reply<T>>;
  /** Registers a worker through POST /api/v1/workers (admin token unless told otherwise). */
  registerWorker(name?: string, token?: string): Promise<{ worker: WorkerInfo; token: string }>;
}

export interface ApiHarnessOptions {
  config?: Partial<Config>;
  /** Replaces the recording push port (the realtime tests push through the real gateway). */
  push?: PushPort;
  /** Where webhook events go (none by default). */
  webhookQueue?: WebhookQueuePort;
}

export const apiHarness = async (name: string, options: ApiHarnessOptions = {}): Promise<ApiHarness> => {
  const base = await testCtx(name, options.config);
  const ctx: TestCtx = {
    ...base,
    ...(options.push ? { push: options.push } : {}),
    ...(options.webhookQueue ? { webhookQueue: options.webhookQueue } : {}),
  };
  const enrolment = "avt_enrolment-secret-for-tests";
  const app = createApp(ctx, {
    enrolmentTokenHash: hashSecret(enrolment),
    wsUrl: (requestUrl) => {
      const url = new URL(WS_PATH, requestUrl);
      url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
      return url.toString();
    },
  });
  const [admin, operator, viewer] = await Promise.all([
    Auth.issueToken(ctx, { name: "Ada admin", role: "admin" }),
    Auth.issueToken(ctx, { name: "Olivia operator", role: "operator" }),
    Auth.issueToken(ctx, { name: "Victor viewer", role: "viewer" }),
  ]);

  const call: ApiHarness["call"] = async (method, path, token, body) => {
    const headers: Record<string, string> = {};
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    let payload: string | undefined;
    if (body !== undefined) {
      headers["content-type"] = "application/json";
      payload = typeof body === "string" ? body : JSON.stringify(body);
    }
    const res = await app.request(path, {
      method,
      headers,
      ...(payload !== undefined ? { body: payload } : {}),
    });
    const text = await res.text();
    const parsed =
      text === "" ? null : (res.headers.get("content-type") ?? "").includes("json") ? JSON.parse(text) : text;
    return { status: res.status, body: parsed, headers: res.headers };
  };

  const registerWorker: ApiHarness["registerWorker"] = async (workerName = "worker", token = admin.token) => {
    const res = await call("POST", "/api/v1/workers", token, { name: workerName });
    if (res.status !== 201) {
      throw new Error(`POST /api/v1/workers answered ${res.status}: ${JSON.stringify(res.body)}`);
    }
    return res.body as { worker: WorkerInfo; token: string };
  };

  return {
    ctx,
    app,
    tokens: { admin: admin.token, operator: operator.token, viewer: viewer.token, enrolment },
    call,
    registerWorker,
  };
};

/**
 * The harness of one describe block: built once in its `beforeAll`, so a test file reads
 * `const h = useApiHarness("api-tasks");` and uses `h` in its tests. The returned object is
 * filled in place when the harness is ready; read it only inside hooks and tests.
 */
export const useApiHarness = (name: string, options: ApiHarnessOptions = {}): ApiHarness => {
  const h = {} as ApiHarness;
  beforeAll(async () => {
    Object.assign(h, await apiHarness(name, options));
  });
  return h;
};

/** `error.details.fields` of an error reply ({} when there is none). */
export const fieldsOf = (res: Reply): Record<string, string> => res.body?.error?.details?.fields ?? {};

/** A 400 validation failure naming `field`. */
export const expectInvalid = (res: Reply, field: string) => {
  expect(res.status, JSON.stringify(res.body)).toBe(400);
  expect(res.body.error.code).toBe("validation_failed");
  expect(Object.keys(fieldsOf(res))).toContain(field);
  expect(typeof res.body.error.message).toBe("string");
};

/** An error reply with this status (and code, when given), in the `{ error }` shape. */
export const expectError = (res: Reply, status: number, code?: string) => {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
  expect(res.body.error.details).toBeTypeOf("object");
  if (code) expect(res.body.error.code).toBe(code);
};

/**
 * A task created over REST and claimed (by its work order id) by a freshly registered worker:
 * the state most worker-side endpoints need.
 */
export const claimedTask = async (h: ApiHarness, input: Record<string, unknown> = {}) => {
  const created = await h.call("POST", "/api/v1/tasks", h.tokens.operator, {
    title: "Claimed task",
    ...input,
  });
  expect(created.status).toBe(201);
  const task = created.body as TaskInfo;
  const worker = await h.registerWorker(`worker-${task.id.slice(-6)}`);
  const claimed = await h.call("POST", "/api/v1/queue/claim", worker.token, {
    workerId: worker.worker.id,
    workOrderId: task.currentWorkOrderId,
  });
  expect(claimed.status, JSON.stringify(claimed.body)).toBe(200);
  return { task, worker, workOrder: claimed.body.workOrder as WorkOrderInfo };
};

/** A claimed task (see claimedTask) whose worker opened its agent session: an execution runs. */
export const runningTask = async (h: ApiHarness, input: Record<string, unknown> = {}) => {
  const claimed = await claimedTask(h, input);
  const session = await h.call("POST", "/api/v1/sessions", claimed.worker.token, {
    sessionId: `agent-${claimed.task.id}`,
    workerId: claimed.worker.worker.id,
    taskId: claimed.task.id,
  });
  expect(session.status, JSON.stringify(session.body)).toBe(201);
  return { ...claimed, session: session.body as SessionInfo };
};
