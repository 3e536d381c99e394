/**
 * `npx tsx bench/ops.ts`: the DynamoDB operations each step of one task's life costs, counted
 * at the client, with a person's dashboard connected. Unlike the timings of `bench/run.ts`,
 * these counts do not depend on how loaded the machine is: each operation is a round trip to
 * DynamoDB Local (and the engine's throughput is shared by all of them).
 */
import "@agentvine/local/sdk-notice";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApiClient, unwrap } from "@agentvine/client";
import { configureLog } from "@agentvine/core/log";
import { startRuntime } from "@agentvine/local/runtime";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { operationName } from "../test/dynamo-operations.ts";
import { openSocket } from "./socket.ts";

// A token in use is read once per AGENTVINE_AUTH_CACHE_MS (5 s), not per request: kept longer
// here, so whether a step pays that read does not depend on how long the steps before it took.
Object.assign(process.env, {
  AGENTVINE_LOG_LEVEL: "warn",
  AGENTVINE_HEARTBEAT_INTERVAL_MS: "600000",
  AGENTVINE_AUTH_CACHE_MS: "600000",
});
configureLog({ service: "bench", level: "warn" });

/** Each operation as `Command entity` (e.g. `GetItem task`), with when it went out and came back. */
interface Op {
  name: string;
  start: number;
  end: number;
}
const ops: Op[] = [];
const from = DynamoDBDocumentClient.from.bind(DynamoDBDocumentClient);
DynamoDBDocumentClient.from = (...args: Parameters<typeof from>) => {
  const client = from(...args);
  client.middlewareStack.add(
    (next, context) => async (call) => {
      const name = operationName(context.commandName, call.input as Record<string, unknown>);
      const start = performance.now();
      try {
        return await next(call);
      } finally {
        ops.push({ name, start, end: performance.now() });
      }
    },
    { step: "initialize", name: "countOperations" },
  );
  return client;
};

const dataDir = await mkdtemp(join(tmpdir(), "agentvine-ops-"));
const runtime = await startRuntime(
  { port: 0, host: "127.0.0.1", workers: 0, dataDir, adminToken: "bench-admin-token-0123456" },
  () => {},
);
const client = (token: string) =>
  createApiClient({ baseUrl: runtime.url.replace(/\/$/, ""), token: () => token });
const admin = client(runtime.adminToken);
const person = await openSocket(admin);
const { worker, token } = await unwrap(admin.POST("/api/v1/workers", { body: { name: "ops" } }));
const agent = client(token);
const heartbeat = () =>
  unwrap(agent.POST("/api/v1/workers/{id}/heartbeat", { params: { path: { id: worker.id } }, body: {} }));
// The worker's token used once before counting, as a running worker's is: its first use also
// records lastUsedAt, a write the steady state does once a minute.
await heartbeat();

/**
 * The round trips the answer waited for one after another: the longest chain of operations
 * done before it, each starting after the one before it in the chain came back.
 */
const sequential = (done: Op[]) => {
  const byEnd = [...done].sort((a, b) => a.end - b.end);
  const depth: number[] = [];
  byEnd.forEach((op, i) => {
    const before = byEnd.slice(0, i).flatMap((prev, j) => (prev.end <= op.start ? [depth[j] ?? 0] : []));
    depth[i] = 1 + Math.max(0, ...before);
  });
  return Math.max(0, ...depth);
};

const settle = () => new Promise((r) => setTimeout(r, 300));
const rows: string[] = [];
/** Counts one step's operations, including the events and timeline lines it defers. */
const step = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
  await settle();
  ops.length = 0;
  const out = await run();
  const answeredAt = performance.now();
  await settle();
  const kinds = new Map<string, number>();
  for (const op of ops) kinds.set(op.name, (kinds.get(op.name) ?? 0) + 1);
  const detail = [...kinds].map(([op, n]) => (n > 1 ? `${op} x${n}` : op)).join(", ");
  const chain = sequential(ops.filter((op) => op.end <= answeredAt));
  rows.push(`| ${name} | ${ops.length} | ${chain} | ${detail} |`);
  return out;
};

const task = await step("create task", () =>
  unwrap(admin.POST("/api/v1/tasks", { body: { title: "one task's life" } })),
);
const [delivery] = await runtime.ctx.queue.receive("normal", { waitSeconds: 0, visibilitySeconds: 60 });
if (!delivery) throw new Error("the task's message was not delivered");
const workOrderId = delivery.body.workOrderId;
await step("claim", () =>
  unwrap(
    agent.POST("/api/v1/queue/claim", {
      body: {
        workerId: worker.id,
        ...delivery.body,
        receiptHandle: delivery.receiptHandle,
        priority: "normal",
      },
    }),
  ),
);
const session = await step("open session", () =>
  unwrap(
    agent.POST("/api/v1/sessions", {
      body: { sessionId: "ops-agent", workerId: worker.id, taskId: task.id },
    }),
  ),
);
await step("progress", () =>
  unwrap(
    agent.POST("/api/v1/executions/{id}/progress", {
      params: { path: { id: session.executionId ?? "" } },
      body: { progress: 0, step: "working" },
    }),
  ),
);
const asked = await step("question", () =>
  unwrap(
    agent.POST("/api/v1/chat/messages", {
      body: { conversationId: task.id, message: "which way?", messageType: "request" },
    }),
  ),
);
await step("answer", () =>
  unwrap(
    admin.POST("/api/v1/chat/messages", {
      body: { conversationId: task.id, message: "left", messageType: "response", parentMessageId: asked.id },
    }),
  ),
);
await step("complete", () =>
  unwrap(agent.POST("/api/v1/queue/complete", { body: { workOrderId, output: "done" } })),
);
await step("heartbeat", heartbeat);

console.log(
  [
    "| step | DynamoDB operations | sequential before the answer | which |",
    "| --- | --- | --- | --- |",
    ...rows,
  ].join("\n"),
);
person.ws.close();
await runtime.stop();
await rm(dataDir, { recursive: true, force: true });
