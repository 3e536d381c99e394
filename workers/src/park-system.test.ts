import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ExecutionInfo } from "@agentvine/core/execution/schema";
import type { SessionInfo } from "@agentvine/core/session/schema";
import type { TaskInfo } from "@agentvine/core/task/schema";
import type { WorkerInfo } from "@agentvine/core/worker/schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRuntime } from "../../test/runtime.ts";
import { adminCaller, startSystem, type TestSystem } from "../../test/system.ts";

/**
 * Issue 12 end to end with the stub agent: the local runtime with real worker processes, a
 * question that waits past AGENTVINE_PARK_AFTER_MS parks its run, and the answer resumes it.
 */
const FAST = {
  AGENTVINE_LEASE_MS: "2000",
  AGENTVINE_HEARTBEAT_INTERVAL_MS: "400",
  AGENTVINE_PARK_AFTER_MS: "800",
};
const ASKING = "work: 10\nask: Which library?\nwork: 10";

type Call = <T = unknown>(method: string, path: string, body?: unknown) => Promise<T>;

/** What the tests read of the system, over HTTP as the admin. */
const reads = (call: Call) => ({
  task: (id: string) => call<TaskInfo>("GET", `/tasks/${id}`),
  executions: (id: string) =>
    call<{ items: ExecutionInfo[] }>("GET", `/tasks/${id}/executions`).then((p) => p.items),
  sessions: async (taskId: string) =>
    (await call<{ items: SessionInfo[] }>("GET", "/sessions?limit=100")).items.filter(
      (s) => s.taskId === taskId,
    ),
  workers: () => call<{ items: WorkerInfo[] }>("GET", "/workers").then((p) => p.items),
  status: (id: string, timeout = 20_000) =>
    expect.poll(async () => (await call<TaskInfo>("GET", `/tasks/${id}`)).status, { timeout, interval: 100 }),
  /** The open request of the task, once it is pending. */
  requestOf: async (taskId: string) => {
    let requestId = "";
    await expect
      .poll(
        async () => {
          const { items } = await call<{ items: { requestId: string; taskId: string }[] }>(
            "GET",
            "/chat/pending",
          );
          requestId = items.find((q) => q.taskId === taskId)?.requestId ?? "";
          return requestId;
        },
        { timeout: 15_000 },
      )
      .not.toBe("");
    return requestId;
  },
  answer: (taskId: string, requestId: string, message: string) =>
    call("POST", "/chat/messages", {
      conversationId: taskId,
      message,
      messageType: "response",
      parentMessageId: requestId,
    }),
});

describe("parked waits through the running system", () => {
  let system: TestSystem;
  let r: ReturnType<typeof reads>;

  beforeAll(async () => {
    system = await startSystem("park", { workers: 1, env: FAST });
    r = reads((method, path, body) => system.call(method, path, body));
  }, 60_000);
  afterAll(() => system?.stop(), 60_000);

  it("parks a waiting run, claims other work meanwhile, survives a fleet at 0, and resumes on another worker", async () => {
    const t = await system.call<TaskInfo>("POST", "/tasks", { title: "Pick a library", description: ASKING });
    const requestId = await r.requestOf(t.id);
    await r.status(t.id).toBe("waiting");
    const parker = (await r.executions(t.id))[0]?.workerId;
    expect((await r.sessions(t.id)).map((s) => s.status)).toEqual(["parked"]);
    const parkedWo = await workOrder(system, (await r.task(t.id)).currentWorkOrderId ?? "");
    expect(parkedWo?.status).toBe("parked");
    expect(parkedWo?.park?.snapshotKey).toBe(`snapshots/${t.id}/${parkedWo?.id}`);
    console.log(`snapshot of a parked stub run: ${parkedWo?.park?.snapshotBytes} bytes`);

    // The worker is free: it runs another task while the question waits.
    const other = await system.call<TaskInfo>("POST", "/tasks", {
      title: "Meanwhile",
      description: "work: 10",
    });
    await r.status(other.id).toBe("completed");
    expect((await r.task(other.id)).workerId).toBe(parker);

    // No worker at all while parked: nothing is lost.
    await system.call("PUT", "/workers-scale", { desired: 0 });
    const live = async () => (await r.workers()).filter((w) => w.status !== "offline").length;
    await expect.poll(live, { timeout: 20_000 }).toBe(0);
    const answeredAt = Date.now();
    await r.answer(t.id, requestId, "Use zod");
    await r.status(t.id).toBe("queued");
    await system.call("PUT", "/workers-scale", { desired: 1 });
    await r.status(t.id, 30_000).toBe("completed");

    const runs = await r.executions(t.id);
    const resumed = runs.find((e) => e.status === "completed");
    expect(resumed?.output).toContain("Answer: Use zod");
    expect(resumed?.output).toContain("Asked: Which library?");
    expect(resumed?.workerId).not.toBe(parker);
    expect(resumed?.resumedFrom).toBe(runs.find((e) => e.status === "parked")?.id);
    expect(new Set((await r.sessions(t.id)).map((s) => s.sessionId)).size).toBe(1);
    const done = await workOrder(system, (await r.task(t.id)).currentWorkOrderId ?? "");
    expect(done?.retryCount).toBe(0);
    expect(done?.resume?.fromWorkOrderId).toBe(parkedWo?.id);
    console.log(
      `answer to resumed run (a worker started from 0): ${Date.parse(resumed?.startedAt ?? "") - answeredAt} ms`,
    );
  }, 90_000);
});

describe("a parked run across a restart of the runtime", () => {
  const saved = { ...process.env };
  let dataDir = "";
  beforeAll(async () => {
    Object.assign(process.env, FAST, { AGENTVINE_POLL_WAIT_SECONDS: "1", AGENTVINE_STOP_GRACE_MS: "300" });
    dataDir = await mkdtemp(join(tmpdir(), "agentvine-park-restart-"));
  });
  afterAll(async () => {
    process.env = saved;
    await rm(dataDir, { recursive: true, force: true });
  });

  const start = async () => {
    const runtime = await startRuntime(
      { port: 0, host: "127.0.0.1", workers: 1, dataDir, adminToken: "park-restart-admin-token" },
      () => {},
    );
    const call: Call = adminCaller(runtime);
    return { runtime, call, r: reads(call) };
  };

  it("resumes with the answer given after the restart (same data dir)", async () => {
    const first = await start();
    let taskId = "";
    let requestId = "";
    try {
      taskId = (
        await first.call<TaskInfo>("POST", "/tasks", { title: "Across a restart", description: ASKING })
      ).id;
      requestId = await first.r.requestOf(taskId);
      await first.r.status(taskId).toBe("waiting");
    } finally {
      await first.runtime.stop();
    }

    const second = await start();
    try {
      await second.r.answer(taskId, requestId, "Use valibot");
      await second.r.status(taskId, 30_000).toBe("completed");
      const resumed = (await second.r.executions(taskId)).find((e) => e.status === "completed");
      expect(resumed?.output).toContain("Answer: Use valibot");
    } finally {
      await second.runtime.stop();
    }
  }, 120_000);
});

const workOrder = async (system: TestSystem, id: string) => {
  const { data } = await system.runtime.ctx.db.workOrder.get({ id }).go();
  return data;
};
