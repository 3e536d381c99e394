import { describe, expect, it } from "vitest";
import { claimedTask, expectError, expectInvalid, useApiHarness } from "../../../test/api.ts";

const Q = "/api/v1/queue";

describe("queue API", () => {
  const h = useApiHarness("api-queue");

  it("claim: 400 bad body, 403 for another workerId or a non-worker, 404 unknown work order", async () => {
    const w = await h.registerWorker("claimer");
    const other = await h.registerWorker("other");
    expectInvalid(await h.call("POST", `${Q}/claim`, w.token, {}), "workerId");
    expectInvalid(await h.call("POST", `${Q}/claim`, w.token, { workerId: "" }), "workerId");
    expectInvalid(await h.call("POST", `${Q}/claim`, w.token, { workerId: 7 }), "workerId");
    expectInvalid(await h.call("POST", `${Q}/claim`, w.token, "nope"), "body");
    expectError(
      await h.call("POST", `${Q}/claim`, w.token, { workerId: other.worker.id }),
      403,
      "auth.not_self",
    );
    for (const token of [h.tokens.admin, h.tokens.operator, h.tokens.viewer]) {
      expectError(
        await h.call("POST", `${Q}/claim`, token, { workerId: w.worker.id }),
        403,
        "auth.forbidden",
      );
    }
    expectError(await h.call("POST", `${Q}/claim`, undefined, { workerId: w.worker.id }), 401);
    expectError(
      await h.call("POST", `${Q}/claim`, w.token, { workerId: w.worker.id, workOrderId: "no-such-order" }),
      404,
      "workOrder.not_found",
    );
  });

  it("claim with the delivery's message (taskId, enqueuedAt): 200 with the task; its fields checked by name", async () => {
    const w = await h.registerWorker("from-message");
    const created = await h.call("POST", "/api/v1/tasks", h.tokens.operator, { title: "From its message" });
    const [m] = await h.ctx.queue.receive("normal", { waitSeconds: 0, visibilitySeconds: 60 });
    expect(m?.body).toMatchObject({
      workOrderId: created.body.currentWorkOrderId,
      enqueuedAt: expect.any(String),
    });
    const delivery = {
      workerId: w.worker.id,
      ...m?.body,
      receiptHandle: m?.receiptHandle,
      priority: "normal",
    };
    expectInvalid(
      await h.call("POST", `${Q}/claim`, w.token, { ...delivery, enqueuedAt: "yesterday" }),
      "enqueuedAt",
    );
    expectInvalid(
      await h.call("POST", `${Q}/claim`, w.token, {
        ...delivery,
        receiptHandle: undefined,
        priority: undefined,
      }),
      "enqueuedAt",
    );
    const claimed = await h.call("POST", `${Q}/claim`, w.token, delivery);
    expect(claimed.status, JSON.stringify(claimed.body)).toBe(200);
    expect(claimed.body.workOrder).toMatchObject({ status: "claimed", workerId: w.worker.id });
    expect(claimed.body.task).toMatchObject({ id: created.body.id, status: "in_progress" });
  });

  it("claim of a named work order already claimed: 409", async () => {
    const { worker, workOrder } = await claimedTask(h);
    const second = await h.registerWorker("second");
    const res = await h.call("POST", `${Q}/claim`, second.token, {
      workerId: second.worker.id,
      workOrderId: workOrder.id,
    });
    expectError(res, 409, "workOrder.claim_lost");
    expect(res.body.error.details).toEqual({ workOrderId: workOrder.id });
    // Even its own holder cannot claim it twice.
    expectError(
      await h.call("POST", `${Q}/claim`, worker.token, {
        workerId: worker.worker.id,
        workOrderId: workOrder.id,
      }),
      409,
    );
  });

  it("complete: 403 for a work order the worker did not claim; 409 twice; 400/404", async () => {
    const { task, worker, workOrder } = await claimedTask(h);
    const stranger = await h.registerWorker("stranger");
    expectError(
      await h.call("POST", `${Q}/complete`, stranger.token, { workOrderId: workOrder.id }),
      403,
      "workOrder.not_yours",
    );
    expectError(
      await h.call("POST", `${Q}/complete`, h.tokens.admin, { workOrderId: workOrder.id }),
      403,
      "auth.forbidden",
    );
    expectInvalid(await h.call("POST", `${Q}/complete`, worker.token, {}), "workOrderId");
    expectInvalid(
      await h.call("POST", `${Q}/complete`, worker.token, { workOrderId: workOrder.id, output: 5 }),
      "output",
    );
    expectError(
      await h.call("POST", `${Q}/complete`, worker.token, { workOrderId: "no-such-order" }),
      404,
      "workOrder.not_found",
    );
    expect((await h.call("GET", `/api/v1/tasks/${task.id}`, h.tokens.viewer)).body.status).toBe(
      "in_progress",
    );

    const ok = await h.call("POST", `${Q}/complete`, worker.token, { workOrderId: workOrder.id });
    expect(ok.status).toBe(200);
    expect(ok.body.workOrder.status).toBe("completed");
    expectError(
      await h.call("POST", `${Q}/complete`, worker.token, { workOrderId: workOrder.id }),
      409,
      "workOrder.invalid_state",
    );
    expectError(
      await h.call("POST", `${Q}/fail`, worker.token, { workOrderId: workOrder.id, reason: "late" }),
      409,
      "workOrder.invalid_state",
    );
  });

  it("fail: the task fails with the reason; 400 without a reason; 403 not yours", async () => {
    const { task, worker, workOrder } = await claimedTask(h);
    const stranger = await h.registerWorker("stranger-2");
    expectInvalid(await h.call("POST", `${Q}/fail`, worker.token, { workOrderId: workOrder.id }), "reason");
    expectInvalid(
      await h.call("POST", `${Q}/fail`, worker.token, { workOrderId: workOrder.id, reason: "   " }),
      "reason",
    );
    expectInvalid(await h.call("POST", `${Q}/fail`, worker.token, { reason: "x" }), "workOrderId");
    expectError(
      await h.call("POST", `${Q}/fail`, stranger.token, { workOrderId: workOrder.id, reason: "sabotage" }),
      403,
      "workOrder.not_yours",
    );
    const res = await h.call("POST", `${Q}/fail`, worker.token, {
      workOrderId: workOrder.id,
      reason: "Tests do not compile",
    });
    expect(res.status).toBe(200);
    expect(res.body.workOrder).toMatchObject({ status: "failed", failureReason: "Tests do not compile" });
    expect((await h.call("GET", `/api/v1/tasks/${task.id}`, h.tokens.viewer)).body).toMatchObject({
      status: "failed",
      failureReason: "Tests do not compile",
    });
  });

  it("enqueue re-enqueues a failed or cancelled task on its priority's queue", async () => {
    const { task, worker, workOrder } = await claimedTask(h, { priority: "high" });
    await h.call("POST", `${Q}/fail`, worker.token, { workOrderId: workOrder.id, reason: "flaky" });
    const before = (await h.call("GET", `${Q}/status`, h.tokens.viewer)).body.queues.high.visible;

    const res = await h.call("POST", `${Q}/enqueue`, h.tokens.operator, { taskId: task.id });
    expect(res.status).toBe(201);
    // The response (like the task.updated push) carries no leftovers of the failure.
    expect(res.body.task).toMatchObject({
      id: task.id,
      status: "queued",
      failureReason: null,
      completedAt: null,
      workerId: null,
    });
    expect((await h.call("GET", `/api/v1/tasks/${task.id}`, h.tokens.viewer)).body).toMatchObject({
      status: "queued",
      failureReason: null,
      completedAt: null,
      workerId: null,
      currentWorkOrderId: res.body.workOrder.id,
    });
    expect(res.body.workOrder).toMatchObject({ taskId: task.id, status: "queued", priority: "high" });
    expect(res.body.workOrder.id).not.toBe(workOrder.id);
    expect(res.body.task.currentWorkOrderId).toBe(res.body.workOrder.id);
    const after = (await h.call("GET", `${Q}/status`, h.tokens.viewer)).body.queues.high.visible;
    expect(after).toBe(before + 1);

    expectError(
      await h.call("POST", `${Q}/enqueue`, h.tokens.operator, { taskId: task.id }),
      409,
      "task.invalid_state",
    );

    const { body: cancelled } = await h.call("POST", "/api/v1/tasks", h.tokens.operator, { title: "Undo" });
    await h.call("PATCH", `/api/v1/tasks/${cancelled.id}`, h.tokens.operator, { status: "cancelled" });
    const revived = await h.call("POST", `${Q}/enqueue`, h.tokens.admin, { taskId: cancelled.id });
    expect(revived.status).toBe(201);
    expect(revived.body.task.status).toBe("queued");
  });

  it("enqueue: 400 bad body, 403 viewer and worker, 404 unknown task", async () => {
    const w = await h.registerWorker("enqueuer");
    expectInvalid(await h.call("POST", `${Q}/enqueue`, h.tokens.operator, {}), "taskId");
    expectInvalid(await h.call("POST", `${Q}/enqueue`, h.tokens.operator, { taskId: "" }), "taskId");
    expectError(
      await h.call("POST", `${Q}/enqueue`, h.tokens.viewer, { taskId: "t" }),
      403,
      "auth.forbidden",
    );
    expectError(await h.call("POST", `${Q}/enqueue`, w.token, { taskId: "t" }), 403, "auth.forbidden");
    expectError(
      await h.call("POST", `${Q}/enqueue`, h.tokens.operator, { taskId: "no-such-task" }),
      404,
      "task.not_found",
    );
  });

  it("status is readable by every role but enrolment", async () => {
    const w = await h.registerWorker("reader");
    for (const token of [h.tokens.admin, h.tokens.operator, h.tokens.viewer, w.token]) {
      const res = await h.call("GET", `${Q}/status`, token);
      expect(res.status).toBe(200);
      expect(Object.keys(res.body.queues).sort()).toEqual(["high", "low", "normal"]);
      expect(res.body.at).toBe(new Date(h.ctx.clock.now()).toISOString());
    }
  });
});
