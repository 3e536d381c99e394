import { createApiClient, type TaskInfo, unwrap } from "@agentvine/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSystem, type TestSystem } from "../../test/system.ts";

/**
 * A worker process that dies is reported by its supervisor (as ECS reports a stopped task) and
 * its work is queued again at once. The lease here is ten minutes, so only that report can
 * explain a takeover within the test's time.
 */
const LONG_LEASE = {
  AGENTVINE_LEASE_MS: "600000",
  AGENTVINE_HEARTBEAT_INTERVAL_MS: "1000",
  AGENTVINE_MAX_RETRIES: "1",
};

describe("a worker process that dies", () => {
  let system: TestSystem;
  let api: ReturnType<typeof createApiClient>;

  const create = (title: string, description: string) =>
    unwrap(api.POST("/api/v1/tasks", { body: { title, description } }));
  const task = (id: string) => unwrap(api.GET("/api/v1/tasks/{id}", { params: { path: { id } } }));
  const settled = (t: TaskInfo) =>
    expect.poll(async () => (await task(t.id)).status, { timeout: 40_000, interval: 100 });

  beforeAll(async () => {
    system = await startSystem("lost-worker", { workers: 2, env: LONG_LEASE });
    const { runtime } = system;
    api = createApiClient({ baseUrl: runtime.url.replace(/\/$/, ""), token: () => runtime.adminToken });
  }, 60_000);
  afterAll(() => system?.stop(), 60_000);

  it("killed -9 mid-task: another worker takes the task over at once, not after the lease", async () => {
    const t = await create("Survive a kill", "work: 2500");
    await settled(t).toBe("in_progress");
    const holder = async () =>
      (await unwrap(api.GET("/api/v1/workers"))).items.find((w) => w.currentTaskId === t.id);
    await expect.poll(holder).toBeTruthy();
    const victim = await holder();
    process.kill(victim?.pid ?? 0, "SIGKILL");
    await settled(t).toBe("completed");
    const done = await task(t.id);
    expect(done.workerId).not.toBe(victim?.id);
    const { data: wo } = await system.runtime.ctx.db.workOrder
      .get({ id: done.currentWorkOrderId ?? "" })
      .go();
    expect(wo?.retryCount).toBe(1);
  }, 60_000);

  it("a task that kills every worker fails after the retries, each takeover at once", async () => {
    const t = await create("Poison", "crash: 137");
    await settled(t).toBe("failed");
    expect((await task(t.id)).failureReason).toMatch(/Worker lost 2 times/);
  }, 60_000);
});
