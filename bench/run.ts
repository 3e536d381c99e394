/**
 * `npm run bench`: AgentVine's dispatch, human-loop, claim-throughput and time-to-agent figures,
 * each beside a baseline measured in the same run on the same engines (fauxqs, the local
 * WebSocket gateway, the Claude Code binary against a fake Messages API).
 * Figures are printed, never asserted.
 */
import "@agentvine/local/sdk-notice";
import { mkdtemp, rm } from "node:fs/promises";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { ApiError, createApiClient, unwrap } from "@agentvine/client";
import { configureLog, LogLevel } from "@agentvine/core/log";
import { startRuntime } from "@agentvine/local/runtime";
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from "@aws-sdk/client-sqs";
import { timeToAgentRows } from "./agent.ts";
import { batchRow } from "./batch.ts";
import { openSocket } from "./socket.ts";
import { latencyRows, printTable, type Row } from "./stats.ts";

const N = Number(process.env.BENCH_N ?? 50);
// Tasks run end to end before anything is timed (see the warm-up below).
const WARM_UP = Number(process.env.BENCH_WARM_UP ?? 200);
const THROUGHPUT_ORDERS = Number(process.env.BENCH_ORDERS ?? 200);
// In memory like the queue engine (fauxqs), so the figures show the orchestration, not the
// local engine's disk writes; BENCH_DYNAMODB=disk runs them on the data dir as `npm start` does.
const MEMORY = process.env.BENCH_DYNAMODB !== "disk";
const ENGINE = `DynamoDB Local ${MEMORY ? "in memory" : "on disk"}`;

// The runtime and its workers log warnings only: a line per request would be timed too.
Object.assign(process.env, {
  AGENTVINE_POLL_WAIT_SECONDS: "10",
  AGENTVINE_HEARTBEAT_INTERVAL_MS: "5000",
  AGENTVINE_LOG_LEVEL: process.env.AGENTVINE_LOG_LEVEL ?? "warn",
});
configureLog({ service: "bench", level: LogLevel.parse(process.env.AGENTVINE_LOG_LEVEL) });
const dataDir = await mkdtemp(join(tmpdir(), "agentvine-bench-"));
const runtime = await startRuntime(
  {
    port: 0,
    host: "127.0.0.1",
    workers: 1,
    dataDir,
    memory: MEMORY,
    adminToken: "bench-admin-token-0123456",
  },
  () => {},
);
const rows: Row[] = [];

/** The generated client, as the admin or as a worker (its own token). */
const client = (token: string) =>
  createApiClient({ baseUrl: runtime.url.replace(/\/$/, ""), token: () => token });
const admin = client(runtime.adminToken);

const socket = (token: string) => openSocket(client(token));

const sqs = runtime.sqs;
const rawQueue = async (name: string) =>
  (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl ?? "";

/** Task created -> `in_progress` on the person's socket, one task at a time on the idle worker. */
const dispatchSamples = async (n: number) => {
  const human = await socket(runtime.adminToken);
  const dispatch: number[] = [];
  for (let i = 0; i < n; i++) {
    await new Promise((r) => setTimeout(r, 50)); // the worker is back in its long poll
    const t0 = performance.now();
    const title = `dispatch ${t0} ${i}`;
    const claimed = human.next(
      (e) => e.type === "task.updated" && e.data.title === title && e.data.status === "in_progress",
    );
    const completed = human.next(
      (e) => e.type === "task.updated" && e.data.title === title && e.data.status === "completed",
    );
    await unwrap(
      admin.POST("/api/v1/tasks", {
        body: { title, description: "work: 1", priority: i % 2 ? "high" : "normal" },
      }),
    );
    dispatch.push((await claimed) - t0);
    await completed;
  }
  human.ws.close();
  return dispatch;
};

// Warm-up, not measured: DynamoDB Local's JIT (and V8's) take some hundred operations to reach
// the speed they then keep, as a deployed system's engines have long since.
await dispatchSamples(WARM_UP);

// 1. Dispatch latency: task created -> claimed by an idle worker, vs raw SQS send -> receive.
{
  const url = await rawQueue("bench-raw-latency");
  const raw: number[] = [];
  for (let i = 0; i < N; i++) {
    const receiving = sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 5 }));
    await new Promise((r) => setTimeout(r, 20));
    const t0 = performance.now();
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: String(i) }));
    const got = await receiving;
    raw.push(performance.now() - t0);
    const handle = got.Messages?.[0]?.ReceiptHandle;
    if (handle) await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: handle }));
  }
  // The unit every hot path pays per sequential round trip: one conditional write on this
  // engine (an inert, one-use WebSocket ticket that expires unused).
  const write: number[] = [];
  for (let i = 0; i < N; i++) {
    const t0 = performance.now();
    await runtime.ctx.db.wsTicket
      .create({ ticketHash: `bench-${i}-${t0}`, role: "viewer", principalId: "bench", expiresAt: 0 })
      .go();
    write.push(performance.now() - t0);
  }
  rows.push(...latencyRows(`${ENGINE}: one conditional put`, write, raw, "SQS send -> receive"));
  rows.push(
    ...latencyRows(
      "dispatch: enqueue -> claimed (idle worker)",
      await dispatchSamples(N),
      raw,
      "SQS send -> receive",
    ),
  );
}

await runtime.ctx.scaler.setDesired(0);
rows.push(await batchRow(runtime, admin, await socket(runtime.adminToken)));

// 2. Human loop, between a worker and a person on the same gateway, vs a bare WebSocket echo.
{
  const { worker, token } = await unwrap(admin.POST("/api/v1/workers", { body: { name: "bench" } }));
  const agentApi = client(token);
  const task = await unwrap(admin.POST("/api/v1/tasks", { body: { title: "human loop" } }));
  await unwrap(agentApi.POST("/api/v1/queue/claim", { body: { workerId: worker.id } }));
  const human = await socket(runtime.adminToken);
  const agent = await socket(token);
  /** One question and its answer, each timed to the socket it is for, and a bare echo beside them. */
  const round = async (i: number) => {
    const t0 = performance.now();
    const pong = agent.next((e) => e.type === "pong");
    agent.ws.send(JSON.stringify({ type: "ping" }));
    const echo = (await pong) - t0;

    const t1 = performance.now();
    // The push can arrive before the POST's response: match on the text, not the id.
    const asked = human.next((e) => e.type === "chat.message" && e.data.message === `q${i}`);
    const requestId = (
      await unwrap(
        agentApi.POST("/api/v1/chat/messages", {
          body: { conversationId: task.id, message: `q${i}`, messageType: "request" },
        }),
      )
    ).id;
    const question = (await asked) - t1;

    const t2 = performance.now();
    const resumed = agent.next((e) => e.type === "chat.message" && e.data.parentMessageId === requestId);
    await unwrap(
      admin.POST("/api/v1/chat/messages", {
        body: {
          conversationId: task.id,
          message: `a${i}`,
          messageType: "response",
          parentMessageId: requestId,
        },
      }),
    );
    return { echo, question, answer: (await resumed) - t2 };
  };
  for (let i = 0; i < WARM_UP / 4; i++) await round(-1 - i); // warm-up, as for dispatch
  const echo: number[] = [];
  const question: number[] = [];
  const answer: number[] = [];
  for (let i = 0; i < N; i++) {
    const r = await round(i);
    echo.push(r.echo);
    question.push(r.question);
    answer.push(r.answer);
  }
  human.ws.close();
  agent.ws.close();
  rows.push(
    ...latencyRows("human loop: question posted -> person's socket", question, echo, "WebSocket echo RTT"),
  );
  rows.push(
    ...latencyRows("human loop: answer posted -> worker's socket", answer, echo, "WebSocket echo RTT"),
  );
}

// 3. Claim throughput with K claimers over SQS + the API, vs raw SQS receive + delete.
for (const k of [1, 4]) {
  const url = await rawQueue(`bench-raw-throughput-${k}`);
  for (let i = 0; i < THROUGHPUT_ORDERS; i++)
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: String(i) }));
  let left = THROUGHPUT_ORDERS;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: k }, async () => {
      while (left > 0) {
        const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 0 }));
        for (const m of Messages ?? []) {
          await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle }));
          left--;
        }
      }
    }),
  );
  const rawRate = THROUGHPUT_ORDERS / ((performance.now() - t0) / 1000);

  await Promise.all(
    Array.from({ length: THROUGHPUT_ORDERS }, (_, i) =>
      unwrap(admin.POST("/api/v1/tasks", { body: { title: `throughput ${k}.${i}`, priority: "low" } })),
    ),
  );
  const claimers = await Promise.all(
    Array.from({ length: k }, (_, i) =>
      unwrap(admin.POST("/api/v1/workers", { body: { name: `claimer-${k}-${i}` } })),
    ),
  );
  let claimed = 0;
  const t1 = performance.now();
  await Promise.all(
    claimers.map(async ({ worker, token }) => {
      const claimer = client(token);
      while (claimed < THROUGHPUT_ORDERS) {
        const [m] = await runtime.ctx.queue.receive("low", { waitSeconds: 0, visibilitySeconds: 60 });
        if (!m) continue;
        const body = {
          workerId: worker.id,
          ...m.body,
          receiptHandle: m.receiptHandle,
          priority: "low" as const,
        };
        const won = await unwrap(claimer.POST("/api/v1/queue/claim", { body }))
          .then(() => true)
          .catch((err: unknown) => {
            // Another claimer won this one: a result, not a failure.
            if (err instanceof ApiError && err.code === "workOrder.claim_lost") return false;
            throw err;
          });
        if (won) claimed++;
      }
    }),
  );
  const rate = THROUGHPUT_ORDERS / ((performance.now() - t1) / 1000);
  rows.push({
    metric: `claim throughput, ${k} claimer(s)`,
    value: `${rate.toFixed(0)} /s`,
    baseline: `${rawRate.toFixed(0)} /s (SQS receive + delete)`,
    ratio: `${(rate / rawRate).toFixed(2)}x`,
  });
}

console.log(
  `\nAgentVine benchmarks: ${cpus().length} x ${cpus()[0]?.model ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, N=${N}, ${ENGINE}\n`,
);
await runtime.stop();
await rm(dataDir, { recursive: true, force: true });
// Its own runtime, whose worker runs Claude Code against a fake API: started once this one is gone.
rows.push(...(await timeToAgentRows()));
printTable(rows);
