import type { ExecutionInfo } from "@agentvine/core/execution/schema";
import type { TaskInfo } from "@agentvine/core/task/schema";
import type { WorkerInfo } from "@agentvine/core/worker/schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSystem, type TestSystem } from "../../test/system.ts";

/**
 * The seed's integration scenarios and the recovery cases, end to end: the local runtime with
 * three real worker processes, driven over HTTP as people and scripts drive it. Timings are
 * shortened through the same environment variables an operator would set.
 */
const FAST = {
  AGENTVINE_LEASE_MS: "2000",
  AGENTVINE_HEARTBEAT_INTERVAL_MS: "400",
  AGENTVINE_SESSION_IDLE_MS: "6000",
  AGENTVINE_MAX_RETRIES: "2",
};

describe("the system with three workers", () => {
  let system: TestSystem;
  const call = <T = unknown>(method: string, path: string, body?: unknown) =>
    system.call<T>(method, path, body);
  const createTask = (title: string, description: string) =>
    call<TaskInfo>("POST", "/tasks", { title, description, taskType: "test" });
  const task = (id: string) => call<TaskInfo>("GET", `/tasks/${id}`);
  const executions = (id: string) =>
    call<{ items: ExecutionInfo[] }>("GET", `/tasks/${id}/executions`).then((p) => p.items);
  const workers = () => call<{ items: WorkerInfo[] }>("GET", "/workers").then((p) => p.items);
  const settled = (id: string, timeout = 20_000) =>
    expect.poll(async () => (await task(id)).status, { timeout, interval: 100 });
  /** Signals the worker a task is running on, once its execution has begun; returns that worker. */
  const signalHolder = async (id: string, signal: NodeJS.Signals) => {
    await expect.poll(async () => (await executions(id)).length, { timeout: 15_000 }).toBe(1);
    const holder = (await workers()).find((w) => w.currentTaskId === id);
    process.kill(holder?.pid ?? 0, signal);
    return holder;
  };

  beforeAll(async () => {
    system = await startSystem("system", { workers: 3, env: FAST });
    // Hooks cannot use expect.poll: wait for three registered, idle workers by hand.
    const deadline = Date.now() + 30_000;
    while ((await workers()).filter((w) => w.status === "idle").length < 3) {
      if (Date.now() > deadline) throw new Error("three workers did not register");
      await new Promise((r) => setTimeout(r, 200));
    }
  }, 60_000);
  afterAll(() => system?.stop(), 60_000);

  it("full workflow: claimed, asks, a person answers, the worker continues and completes with the answer", async () => {
    const t = await createTask("Pick a library", "work: 50\nask: Which library?\nwork: 50");
    let requestId = "";
    await expect
      .poll(
        async () => {
          const pending = await call<{ items: { requestId: string; taskId: string }[] }>(
            "GET",
            "/chat/pending",
          );
          requestId = pending.items.find((q) => q.taskId === t.id)?.requestId ?? "";
          return requestId;
        },
        { timeout: 15_000 },
      )
      .not.toBe("");
    const asking = (await task(t.id)).workerId;
    expect((await workers()).find((w) => w.id === asking)?.status).toBe("waiting");

    await call("POST", "/chat/messages", {
      conversationId: t.id,
      message: "Use zod",
      messageType: "response",
      parentMessageId: requestId,
    });
    await settled(t.id).toBe("completed");
    const [execution] = await executions(t.id);
    expect(execution?.status).toBe("completed");
    expect(execution?.output).toContain("Answer: Use zod");
    expect((await task(t.id)).workerId).toBe(asking);
  });

  it("multi-worker: three tasks run on three different workers", async () => {
    const tasks = await Promise.all([1, 2, 3].map((i) => createTask(`Parallel ${i}`, "work: 1500")));
    for (const t of tasks) await settled(t.id).toBe("completed");
    const ran = await Promise.all(tasks.map(async (t) => (await task(t.id)).workerId));
    expect(new Set(ran).size).toBe(3);
  });

  it("session lifecycle: a session idle beyond the limit is reaped and its task failed with the reason", async () => {
    const t = await createTask("Nobody answers", "ask: Anyone there?");
    await settled(t.id, 25_000).toBe("failed");
    const failed = await task(t.id);
    expect(failed.failureReason).toMatch(/^Session terminated: Idle for/);
    const sessions = await call<{ items: { taskId: string; status: string; terminationReason: string }[] }>(
      "GET",
      "/sessions?status=terminated",
    );
    expect(sessions.items.find((s) => s.taskId === t.id)?.terminationReason).toMatch(/Idle for/);
    // Nobody waits for an answer any more: the question left the pending list, closed.
    const pending = await call<{ items: { taskId: string }[] }>("GET", "/chat/pending");
    expect(pending.items.some((q) => q.taskId === t.id)).toBe(false);
    await expect
      .poll(async () => (await workers()).find((w) => w.id === failed.workerId)?.status)
      .toBe("idle");
  });

  it("a person cancels a running task: its worker stops the agent at once and takes other work", async () => {
    // All three workers busy for 30 s: a new task runs only if the cancelled one's worker let go.
    const long = await Promise.all([1, 2, 3].map((i) => createTask(`Long ${i}`, "work: 30000")));
    for (const t of long) await settled(t.id).toBe("in_progress");
    await expect
      .poll(async () => (await Promise.all(long.map((t) => executions(t.id)))).flat().length)
      .toBe(3);

    const cancelled = await call<TaskInfo>("PATCH", `/tasks/${long[0]?.id}`, { status: "cancelled" });
    expect(cancelled.status).toBe("cancelled");
    const next = await createTask("After the cancel", "work: 50");
    await settled(next.id, 10_000).toBe("completed");
    expect((await task(next.id)).workerId).toBe(cancelled.workerId);
    expect((await task(cancelled.id)).status).toBe("cancelled");
    for (const t of long.slice(1)) await call("PATCH", `/tasks/${t.id}`, { status: "cancelled" });
  });

  it("crash recovery: a worker killed mid-task; another worker completes it with retryCount 1", async () => {
    const t = await createTask("Survive a crash", "work: 2500");
    const victim = await signalHolder(t.id, "SIGKILL");
    await settled(t.id, 30_000).toBe("completed");
    const done = await task(t.id);
    expect(done.workerId).not.toBe(victim?.id);
    const wo = await call<{ retryCount: number }>("GET", `/tasks/${t.id}`).then(() =>
      fetchWorkOrder(done.currentWorkOrderId ?? ""),
    );
    expect(wo.retryCount).toBe(1);
    const runs = await executions(t.id);
    expect(runs.filter((e) => e.status === "completed")).toHaveLength(1);
    expect(runs.find((e) => e.workerId === victim?.id)?.status).toBe("failed");
  }, 40_000);

  it("a poison task that kills every worker fails after the retries, without looping", async () => {
    const t = await createTask("Poison", "crash: 137");
    await settled(t.id, 45_000).toBe("failed");
    expect((await task(t.id)).failureReason).toMatch(/Worker lost 3 times/);
    // The supervisor replaced every worker the task killed.
    await expect
      .poll(async () => (await system.runtime.ctx.scaler.get()).running, { timeout: 15_000 })
      .toBe(3);
  }, 60_000);

  it("SIGTERM during work: the task is released, not lost, and completes elsewhere", async () => {
    const t = await createTask("Graceful stop", "work: 3000");
    const stopped = await signalHolder(t.id, "SIGTERM");
    await settled(t.id, 30_000).toBe("completed");
    expect((await task(t.id)).workerId).not.toBe(stopped?.id);
    expect((await workers()).some((w) => w.id === stopped?.id)).toBe(false);
  }, 40_000);

  it("scaling through the API starts and stops worker processes", async () => {
    const scaled = await call<{ desired: number }>("PUT", "/workers-scale", { desired: 4 });
    expect(scaled.desired).toBe(4);
    const live = async () => (await workers()).filter((w) => w.status !== "offline").length;
    await expect.poll(live, { timeout: 20_000 }).toBe(4);
    await call("PUT", "/workers-scale", { desired: 3 });
    await expect.poll(live, { timeout: 20_000 }).toBe(3);
    expect(await call("GET", "/workers-scale")).toEqual({ desired: 3, running: 3 });
  }, 45_000);

  it("no double execution: 100 short tasks, each completed exactly once", async () => {
    const tasks = await Promise.all(
      Array.from({ length: 100 }, (_, i) => createTask(`Batch ${i}`, "work: 1")),
    );
    await expect
      .poll(
        async () =>
          (await call<{ items: TaskInfo[] }>("GET", "/tasks?status=completed&limit=100")).items.filter((x) =>
            x.title.startsWith("Batch"),
          ).length,
        { timeout: 170_000, interval: 500 },
      )
      .toBe(100);
    const runs = await Promise.all(tasks.map((t) => executions(t.id)));
    for (const r of runs) expect(r.filter((e) => e.status === "completed")).toHaveLength(1);
    expect(runs.flat().filter((e) => e.status === "completed")).toHaveLength(100);
  }, 200_000);

  const fetchWorkOrder = async (id: string) => {
    const { data } = await system.runtime.ctx.db.workOrder.get({ id }).go();
    return data ?? { retryCount: -1 };
  };
});
