/**
 * Resume latency: a person answers a Claude Code agent's question -> the agent's next request at
 * the (fake) Messages API, when the run was parked (snapshot restored on a worker, the CLI
 * resumed from its transcript) beside when it was still waiting in its worker. Runs in the
 * time-to-agent bench's runtime, which parks a request after PARK_AFTER_MS.
 */
import { type createApiClient, unwrap } from "@agentvine/client";
import type { Db } from "@agentvine/core/db/index";
import { callTool, say } from "../test/fake-anthropic/script.ts";
import type { FakeAnthropic } from "../test/fake-anthropic/server.ts";
import { latencyRows, type Row } from "./stats.ts";

/** Long enough for an answer sent at once to find the agent still waiting in its worker. */
export const PARK_AFTER_MS = 1500;
const RUNS = Number(process.env.BENCH_PARK_N ?? 5);

type Admin = ReturnType<typeof createApiClient>;

const poll = async <T>(read: () => Promise<T | undefined>): Promise<T> => {
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 20));
  }
};

export const resumeRows = async (
  admin: Admin,
  db: Db,
  fake: FakeAnthropic,
  repositoryUrl: string,
): Promise<{ rows: Row[]; snapshotBytes: number[] }> => {
  const taskOf = (id: string) => unwrap(admin.GET("/api/v1/tasks/{id}", { params: { path: { id } } }));
  /** One task that asks once; answered at once, or once it has parked. Returns answer -> next request. */
  const run = async (title: string, parked: boolean) => {
    fake.play(callTool("mcp__agentvine__ask_human", { question: "Which library?" }), say("Done."));
    const body = { title, agent: "claude-code" as const, permissionMode: "bypass" as const, repositoryUrl };
    const { id } = await unwrap(admin.POST("/api/v1/tasks", { body }));
    const request = await poll(async () =>
      (await unwrap(admin.GET("/api/v1/chat/pending"))).items.find((q) => q.taskId === id),
    );
    if (parked) await poll(async () => ((await taskOf(id)).status === "waiting" ? true : undefined));
    const next = fake.nextRequest().then((r) => r.at);
    const t0 = Date.now();
    await unwrap(
      admin.POST("/api/v1/chat/messages", {
        body: {
          conversationId: id,
          messageType: "response",
          parentMessageId: request.requestId,
          message: "Use zod.",
        },
      }),
    );
    const latency = (await next) - t0;
    await poll(async () => ((await taskOf(id)).status === "completed" ? true : undefined));
    return { id, latency };
  };
  const parked: number[] = [];
  const waiting: number[] = [];
  const snapshotBytes: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    waiting.push((await run(`answered while waiting ${i}`, false)).latency);
    const { id, latency } = await run(`answered while parked ${i}`, true);
    parked.push(latency);
    const { data: workOrders } = await db.workOrder.query.byTask({ taskId: id }).go();
    for (const wo of workOrders) if (wo.park) snapshotBytes.push(wo.park.snapshotBytes);
  }
  return {
    rows: latencyRows(
      "answer -> resumed agent's next model request (parked, resumed on a worker)",
      parked,
      waiting,
      "answer -> next request, not parked",
    ),
    snapshotBytes,
  };
};
