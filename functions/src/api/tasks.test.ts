import { describe, expect, it } from "vitest";
import {
  claimedTask,
  expectError,
  expectInvalid,
  fieldsOf,
  runningTask,
  useApiHarness,
} from "../../../test/api.ts";

const TASKS = "/api/v1/tasks";

describe("tasks API", () => {
  const h = useApiHarness("api-tasks");

  it("creates a task: it is listed, readable, and queued on its priority's queue", async () => {
    const before = await h.call("GET", "/api/v1/queue/status", h.tokens.viewer);
    const res = await h.call("POST", TASKS, h.tokens.operator, {
      title: "  Fix the login form  ",
      description: "Users cannot log in with a + in their e-mail",
      taskType: "bugfix",
      priority: "high",
      repositoryUrl: "https://github.com/acme/web.git",
      branchName: "fix/login-plus",
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      title: "Fix the login form",
      taskType: "bugfix",
      priority: "high",
      status: "queued",
      repositoryUrl: "https://github.com/acme/web.git",
      branchName: "fix/login-plus",
      createdBy: "Olivia operator",
      completedAt: null,
      failureReason: null,
      workerId: null,
    });
    expect(res.body.currentWorkOrderId).toEqual(expect.any(String));

    const list = await h.call("GET", TASKS, h.tokens.viewer);
    expect(list.status).toBe(200);
    expect(list.body.items.map((t: { id: string }) => t.id)).toContain(res.body.id);
    expect(list.body).toHaveProperty("nextCursor");

    const one = await h.call("GET", `${TASKS}/${res.body.id}`, h.tokens.viewer);
    expect(one.status).toBe(200);
    expect(one.body).toEqual(res.body);

    const after = await h.call("GET", "/api/v1/queue/status", h.tokens.viewer);
    expect(after.body.queues.high.visible).toBe(before.body.queues.high.visible + 1);
    expect(after.body.queues.normal.visible).toBe(before.body.queues.normal.visible);
    expect(after.body.queues.low.visible).toBe(before.body.queues.low.visible);
  });

  it("defaults taskType feature, priority normal, empty description", async () => {
    const res = await h.call("POST", TASKS, h.tokens.admin, { title: "Defaults" });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      taskType: "feature",
      priority: "normal",
      description: "",
      repositoryUrl: null,
      branchName: null,
    });
  });

  it("rejects bad bodies with 400 naming the field, and writes nothing", async () => {
    const before = (await h.call("GET", `${TASKS}?limit=100`, h.tokens.viewer)).body.items.length;
    const cases: [unknown, string][] = [
      [{}, "title"],
      [{ title: "   " }, "title"],
      [{ title: "x".repeat(201) }, "title"],
      [{ title: 42 }, "title"],
      [{ title: "ok", priority: "urgent" }, "priority"],
      [{ title: "ok", taskType: "chore" }, "taskType"],
      [{ title: "ok", repositoryUrl: "not a url" }, "repositoryUrl"],
      [{ title: "ok", repositoryUrl: "javascript:alert(1)" }, "repositoryUrl"],
      [{ title: "ok", branchName: "a..b" }, "branchName"],
      [{ title: "ok", branchName: "has space" }, "branchName"],
      [{ title: "ok", branchName: "-rf" }, "branchName"],
      [{ title: "ok", description: "d".repeat(20_001) }, "description"],
      ["{not json", "body"],
      ["", "body"],
      [[], "body"],
      ["null", "body"],
    ];
    for (const [body, field] of cases) {
      const res = await h.call("POST", TASKS, h.tokens.operator, body);
      expectInvalid(res, field);
    }
    const res = await h.call("POST", TASKS, h.tokens.operator, { priority: "urgent" });
    expect(Object.keys(fieldsOf(res)).sort()).toEqual(["priority", "title"]);
    expect(res.body.error.message).toContain("priority");
    const after = (await h.call("GET", `${TASKS}?limit=100`, h.tokens.viewer)).body.items.length;
    expect(after).toBe(before);
  });

  it("401 without a token, with a wrong token, with another scheme", async () => {
    expectError(await h.call("GET", TASKS), 401, "auth.missing_token");
    expectError(await h.call("POST", TASKS, undefined, { title: "x" }), 401, "auth.missing_token");
    expectError(await h.call("GET", TASKS, "avt_not-a-real-token"), 401, "auth.invalid_token");
    const basic = await h.app.request(TASKS, { headers: { authorization: `Basic ${h.tokens.admin}` } });
    expect(basic.status).toBe(401);
    const lower = await h.app.request(TASKS, { headers: { authorization: `bearer ${h.tokens.admin}` } });
    expect(lower.status).toBe(200);
  });

  it("403 for a viewer, a worker or the enrolment token creating a task", async () => {
    expectError(await h.call("POST", TASKS, h.tokens.viewer, { title: "x" }), 403, "auth.forbidden");
    const w = await h.registerWorker("no-creator");
    expectError(await h.call("POST", TASKS, w.token, { title: "x" }), 403, "auth.forbidden");
    expectError(await h.call("POST", TASKS, h.tokens.enrolment, { title: "x" }), 403, "auth.forbidden");
    // Authorization comes before validation: a forbidden caller learns nothing about the body.
    expectError(await h.call("POST", TASKS, h.tokens.viewer, {}), 403);
  });

  it("GET /tasks/{id}: 404 for an unknown id, 400 for an oversized one", async () => {
    expectError(await h.call("GET", `${TASKS}/no-such-task`, h.tokens.viewer), 404, "task.not_found");
    expectInvalid(await h.call("GET", `${TASKS}/${"x".repeat(65)}`, h.tokens.viewer), "id");
  });

  it("PATCH edits title and description", async () => {
    const { body: task } = await h.call("POST", TASKS, h.tokens.operator, { title: "Old" });
    h.ctx.clock.advance(1000);
    const res = await h.call("PATCH", `${TASKS}/${task.id}`, h.tokens.operator, {
      title: "New",
      description: "More words",
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: task.id,
      title: "New",
      description: "More words",
      status: "queued",
    });
    expect(res.body.updatedAt > task.updatedAt).toBe(true);
    expect((await h.call("GET", `${TASKS}/${task.id}`, h.tokens.viewer)).body.title).toBe("New");
  });

  it("PATCH cancels a queued task and its work order", async () => {
    const { body: task } = await h.call("POST", TASKS, h.tokens.operator, { title: "To cancel" });
    const res = await h.call("PATCH", `${TASKS}/${task.id}`, h.tokens.operator, { status: "cancelled" });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe("cancelled");
    expect(res.body.completedAt).toEqual(expect.any(String));
    // The work order is finished: nobody can claim it any more.
    const w = await h.registerWorker("late");
    const claim = await h.call("POST", "/api/v1/queue/claim", w.token, {
      workerId: w.worker.id,
      workOrderId: task.currentWorkOrderId,
    });
    expectError(claim, 409, "workOrder.claim_lost");
    // A second cancel: it is no longer queued.
    const again = await h.call("PATCH", `${TASKS}/${task.id}`, h.tokens.operator, { status: "cancelled" });
    expectError(again, 409, "task.invalid_state");
  });

  it("PATCH cancels a running task: its session is terminated, so its worker stops the agent", async () => {
    const { task, session } = await runningTask(h);
    const res = await h.call("PATCH", `${TASKS}/${task.id}`, h.tokens.operator, { status: "cancelled" });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ status: "cancelled", failureReason: "Cancelled by Olivia operator" });
    expect((await h.call("GET", `/api/v1/sessions/${session.id}`, h.tokens.viewer)).body).toMatchObject({
      status: "terminated",
      terminationReason: "Cancelled by Olivia operator",
    });
  });

  it("PATCH: 409 cancelling a finished task; the edits sent with it stay unmade", async () => {
    const { task, worker, workOrder } = await claimedTask(h);
    await h.call("POST", "/api/v1/queue/complete", worker.token, {
      workOrderId: workOrder.id,
      output: "done",
    });
    const both = await h.call("PATCH", `${TASKS}/${task.id}`, h.tokens.operator, {
      title: "Renamed",
      status: "cancelled",
    });
    expectError(both, 409, "task.invalid_state");
    expect(both.body.error.details).toEqual({ status: "completed" });
    expect((await h.call("GET", `${TASKS}/${task.id}`, h.tokens.viewer)).body).toMatchObject({
      status: "completed",
      title: task.title,
    });
  });

  it("PATCH: 400 bad input, 403 viewer, 404 unknown", async () => {
    const { body: task } = await h.call("POST", TASKS, h.tokens.operator, { title: "Patch me" });
    const path = `${TASKS}/${task.id}`;
    expectInvalid(await h.call("PATCH", path, h.tokens.operator, { status: "completed" }), "status");
    expectInvalid(await h.call("PATCH", path, h.tokens.operator, { title: "" }), "title");
    expectInvalid(await h.call("PATCH", path, h.tokens.operator, { priority: "high" }), "priority");
    expectInvalid(await h.call("PATCH", path, h.tokens.operator, {}), "body");
    expectInvalid(await h.call("PATCH", path, h.tokens.operator, "{"), "body");
    expectError(await h.call("PATCH", path, h.tokens.viewer, { title: "x" }), 403, "auth.forbidden");
    expectError(
      await h.call("PATCH", `${TASKS}/nope`, h.tokens.operator, { title: "x" }),
      404,
      "task.not_found",
    );
    expect((await h.call("GET", path, h.tokens.viewer)).body.title).toBe("Patch me");
  });

  it("GET /tasks/{id}/executions lists the task's executions", async () => {
    const { task, worker, workOrder } = await claimedTask(h, { title: "Runs once" });
    const path = `${TASKS}/${task.id}/executions`;
    expect((await h.call("GET", path, h.tokens.viewer)).body).toEqual({ items: [], nextCursor: null });

    const session = await h.call("POST", "/api/v1/sessions", worker.token, {
      sessionId: `agent-${task.id}`,
      workerId: worker.worker.id,
      taskId: task.id,
    });
    expect(session.status).toBe(201);
    const running = await h.call("GET", path, h.tokens.viewer);
    expect(running.status).toBe(200);
    expect(running.body.items).toHaveLength(1);
    expect(running.body.items[0]).toMatchObject({
      taskId: task.id,
      workerId: worker.worker.id,
      status: "running",
    });

    await h.call("POST", "/api/v1/queue/complete", worker.token, {
      workOrderId: workOrder.id,
      output: "done!",
    });
    const done = await h.call("GET", path, h.tokens.viewer);
    expect(done.body.items[0]).toMatchObject({ status: "completed", output: "done!" });
    expect(done.body.items[0].completedAt).toEqual(expect.any(String));

    expectError(await h.call("GET", `${TASKS}/nope/executions`, h.tokens.viewer), 404, "task.not_found");
    expectInvalid(await h.call("GET", `${path}?limit=0`, h.tokens.viewer), "limit");
    expectError(await h.call("GET", path), 401);
  });

  it("GET /tasks/{id}/history is the task's timeline, newest first", async () => {
    const { task, worker, workOrder } = await claimedTask(h, { title: "Has a history" });
    h.ctx.clock.advance(1000);
    await h.call("POST", "/api/v1/queue/fail", worker.token, { workOrderId: workOrder.id, reason: "broken" });
    const res = await h.call("GET", `${TASKS}/${task.id}/history`, h.tokens.viewer);
    expect(res.status).toBe(200);
    expect(res.body.items.map((a: { type: string }) => a.type)).toEqual([
      "task.failed",
      "task.claimed",
      "task.created",
    ]);
    for (const item of res.body.items) expect(item.taskId).toBe(task.id);
    const page = await h.call("GET", `${TASKS}/${task.id}/history?limit=2`, h.tokens.viewer);
    expect(page.body.items).toHaveLength(2);
    expect(page.body.nextCursor).toEqual(expect.any(String));
    const rest = await h.call(
      "GET",
      `${TASKS}/${task.id}/history?limit=2&cursor=${encodeURIComponent(page.body.nextCursor)}`,
      h.tokens.viewer,
    );
    expect(rest.body.items.map((a: { type: string }) => a.type)).toEqual(["task.created"]);
    expectError(await h.call("GET", `${TASKS}/nope/history`, h.tokens.viewer), 404, "task.not_found");
  });
});
