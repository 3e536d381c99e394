import { describe, expect, it } from "vitest";
import { expectError, expectInvalid, useApiHarness } from "../../../test/api.ts";

const Q = "/api/v1/queue";

describe("the issue's acceptance: create, list, queue status, 401, 400, claim exactly once", () => {
  const h = useApiHarness("api-queue-accept");

  it("end to end over REST", async () => {
    const created = await h.call("POST", "/api/v1/tasks", h.tokens.operator, {
      title: "Add a dark mode",
      priority: "low",
    });
    expect(created.status).toBe(201);
    const task = created.body;

    const list = await h.call("GET", "/api/v1/tasks", h.tokens.viewer);
    expect(list.body.items.map((t: { id: string }) => t.id)).toEqual([task.id]);

    const status = await h.call("GET", `${Q}/status`, h.tokens.viewer);
    expect(status.status).toBe(200);
    expect(status.body.queues).toEqual({
      high: { visible: 0, inFlight: 0, dead: 0 },
      normal: { visible: 0, inFlight: 0, dead: 0 },
      low: { visible: 1, inFlight: 0, dead: 0 },
    });
    expect(status.body.totals).toEqual({ visible: 1, inFlight: 0, dead: 0 });
    expect(status.body.claimed).toBe(0);

    expectError(await h.call("GET", "/api/v1/tasks"), 401);
    expectError(await h.call("GET", `${Q}/status`), 401);
    expectInvalid(await h.call("POST", "/api/v1/tasks", h.tokens.operator, { priority: "low" }), "title");

    const a = await h.registerWorker("a");
    const b = await h.registerWorker("b");
    const claim = await h.call("POST", `${Q}/claim`, a.token, { workerId: a.worker.id });
    expect(claim.status).toBe(200);
    expect(claim.body.workOrder).toMatchObject({
      id: task.currentWorkOrderId,
      taskId: task.id,
      workerId: a.worker.id,
      status: "claimed",
      priority: "low",
      retryCount: 0,
    });
    expect(claim.body.workOrder.leaseExpiresAt).toEqual(expect.any(String));

    const again = await h.call("POST", `${Q}/claim`, a.token, { workerId: a.worker.id });
    expect(again.status).toBe(204);
    expect(again.body).toBeNull();
    expect((await h.call("POST", `${Q}/claim`, b.token, { workerId: b.worker.id })).status).toBe(204);
    const named = await h.call("POST", `${Q}/claim`, b.token, {
      workerId: b.worker.id,
      workOrderId: task.currentWorkOrderId,
    });
    expectError(named, 409, "workOrder.claim_lost");

    const after = await h.call("GET", `${Q}/status`, h.tokens.viewer);
    expect(after.body.queues.low).toMatchObject({ visible: 0, inFlight: 1 });
    expect(after.body.claimed).toBe(1);
    expect((await h.call("GET", `/api/v1/tasks/${task.id}`, h.tokens.viewer)).body).toMatchObject({
      status: "in_progress",
      workerId: a.worker.id,
    });
    expect((await h.call("GET", `/api/v1/workers/${a.worker.id}`, h.tokens.viewer)).body).toMatchObject({
      status: "busy",
      currentTaskId: task.id,
    });

    const done = await h.call("POST", `${Q}/complete`, a.token, {
      workOrderId: claim.body.workOrder.id,
      output: "Dark mode added",
    });
    expect(done.status).toBe(200);
    expect(done.body.workOrder).toMatchObject({ status: "completed", leaseExpiresAt: null });
    expect(done.body.workOrder.completedAt).toEqual(expect.any(String));
    expect((await h.call("GET", `/api/v1/tasks/${task.id}`, h.tokens.viewer)).body.status).toBe("completed");
    expect((await h.call("GET", `/api/v1/workers/${a.worker.id}`, h.tokens.viewer)).body).toMatchObject({
      status: "idle",
      currentTaskId: null,
    });
    const final = await h.call("GET", `${Q}/status`, h.tokens.viewer);
    expect(final.body.totals).toEqual({ visible: 0, inFlight: 0, dead: 0 });
    expect(final.body.claimed).toBe(0);
  });

  it("two workers claiming at once: exactly one gets the work order", async () => {
    const { body: task } = await h.call("POST", "/api/v1/tasks", h.tokens.operator, { title: "Race" });
    const workers = await Promise.all([1, 2, 3].map((n) => h.registerWorker(`racer-${n}`)));
    const results = await Promise.all(
      workers.map((w) => h.call("POST", `${Q}/claim`, w.token, { workerId: w.worker.id })),
    );
    const won = results.filter((r) => r.status === 200);
    expect(won).toHaveLength(1);
    expect(won[0]?.body.workOrder.taskId).toBe(task.id);
    expect(results.filter((r) => r.status === 204)).toHaveLength(2);
  });

  it("two workers claiming the same named work order at once: one 200, one 409", async () => {
    const { body: task } = await h.call("POST", "/api/v1/tasks", h.tokens.operator, { title: "Named race" });
    const [x, y] = await Promise.all([h.registerWorker("x"), h.registerWorker("y")]);
    const results = await Promise.all(
      [x, y].map((w) =>
        h.call("POST", `${Q}/claim`, w!.token, {
          workerId: w!.worker.id,
          workOrderId: task.currentWorkOrderId,
        }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
  });

  it("claims in strict priority order", async () => {
    const w = await h.registerWorker("prioritiser");
    // Drain whatever earlier tests left queued.
    while ((await h.call("POST", `${Q}/claim`, w.token, { workerId: w.worker.id })).status === 200) {}
    const ids: Record<string, string> = {};
    for (const priority of ["low", "normal", "high", "normal"]) {
      const { body } = await h.call("POST", "/api/v1/tasks", h.tokens.operator, {
        title: priority,
        priority,
      });
      ids[body.id] = priority;
    }
    const order: string[] = [];
    for (;;) {
      const res = await h.call("POST", `${Q}/claim`, w.token, { workerId: w.worker.id });
      if (res.status === 204) break;
      order.push(res.body.workOrder.priority);
    }
    expect(order).toEqual(["high", "normal", "normal", "low"]);
  });
});
