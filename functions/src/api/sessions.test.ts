import { describe, expect, it } from "vitest";
import { claimedTask, expectError, expectInvalid, useApiHarness } from "../../../test/api.ts";

const S = "/api/v1/sessions";

describe("sessions API", () => {
  const h = useApiHarness("api-sessions");
  let seq = 0;
  const agentId = () => `claude-${Date.now()}-${++seq}`;
  /** A session the admin opens for a registered worker, under a fresh agent sessionId. */
  const openFor = async (w: { worker: { id: string } }) =>
    (await h.call("POST", S, h.tokens.admin, { sessionId: agentId(), workerId: w.worker.id })).body;

  it("opens a session for a worker (admin), readable by id and by the agent's sessionId", async () => {
    const w = await h.registerWorker("host");
    const sessionId = agentId();
    const res = await h.call("POST", S, h.tokens.admin, { sessionId, workerId: w.worker.id });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      sessionId,
      workerId: w.worker.id,
      taskId: null,
      executionId: null,
      status: "active",
      terminatedAt: null,
      terminationReason: null,
    });
    expect(Date.parse(res.body.reapAt)).toBe(h.ctx.clock.now() + h.ctx.config.sessionIdleMs);

    const byId = await h.call("GET", `${S}/${res.body.id}`, h.tokens.viewer);
    expect(byId.status).toBe(200);
    expect(byId.body).toEqual(res.body);
    expect((await h.call("GET", `${S}/${encodeURIComponent(sessionId)}`, h.tokens.viewer)).body).toEqual(
      res.body,
    );

    expectError(
      await h.call("POST", S, h.tokens.admin, { sessionId, workerId: w.worker.id }),
      409,
      "session.exists",
    );
  });

  it("a worker opens a session for the task it holds: the execution starts", async () => {
    const { task, worker } = await claimedTask(h, { title: "Session task" });
    const sessionId = agentId();
    const res = await h.call("POST", S, worker.token, {
      sessionId,
      workerId: worker.worker.id,
      taskId: task.id,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ taskId: task.id, status: "active" });
    expect(res.body.executionId).toEqual(expect.any(String));
    const executions = await h.call("GET", `/api/v1/tasks/${task.id}/executions`, h.tokens.viewer);
    expect(executions.body.items.map((e: { id: string }) => e.id)).toEqual([res.body.executionId]);
  });

  it("create: 400 bad body, 401, 403 for others' workers, tasks not held, and people without admin", async () => {
    const { task, worker } = await claimedTask(h, { title: "Not yours" });
    const other = await h.registerWorker("other");
    expectInvalid(await h.call("POST", S, worker.token, { workerId: worker.worker.id }), "sessionId");
    expectInvalid(
      await h.call("POST", S, worker.token, { sessionId: " ", workerId: worker.worker.id }),
      "sessionId",
    );
    expectInvalid(await h.call("POST", S, worker.token, { sessionId: agentId() }), "workerId");
    expectInvalid(
      await h.call("POST", S, worker.token, { sessionId: "x".repeat(201), workerId: worker.worker.id }),
      "sessionId",
    );
    expectInvalid(await h.call("POST", S, worker.token, "]"), "body");
    expectError(
      await h.call("POST", S, undefined, { sessionId: agentId(), workerId: worker.worker.id }),
      401,
    );
    expectError(
      await h.call("POST", S, other.token, { sessionId: agentId(), workerId: worker.worker.id }),
      403,
      "auth.not_self",
    );
    expectError(
      await h.call("POST", S, other.token, {
        sessionId: agentId(),
        workerId: other.worker.id,
        taskId: task.id,
      }),
      403,
      "session.forbidden",
    );
    expectError(
      await h.call("POST", S, h.tokens.operator, { sessionId: agentId(), workerId: worker.worker.id }),
      403,
      "auth.forbidden",
    );
    expectError(
      await h.call("POST", S, h.tokens.viewer, { sessionId: agentId(), workerId: worker.worker.id }),
      403,
      "auth.forbidden",
    );
  });

  it("create for an unknown worker: 404, nothing written", async () => {
    const sessionId = agentId();
    const res = await h.call("POST", S, h.tokens.admin, { sessionId, workerId: "no-such-worker" });
    expectError(res, 404, "worker.not_found");
    expectError(await h.call("GET", `${S}/${sessionId}`, h.tokens.viewer), 404, "session.not_found");
  });

  it("lists sessions newest first, by status, paginated", async () => {
    const w = await h.registerWorker("lister");
    const made: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      h.ctx.clock.advance(1000);
      made.push((await openFor(w)).id);
    }
    await h.call("DELETE", `${S}/${made[0]}`, h.tokens.operator);

    const list = await h.call("GET", S, h.tokens.viewer);
    expect(list.status).toBe(200);
    const ids = list.body.items.map((s: { id: string }) => s.id);
    expect(ids.slice(0, 3)).toEqual([made[2], made[1], made[0]]);

    const terminated = await h.call("GET", `${S}?status=terminated`, h.tokens.viewer);
    expect(terminated.body.items.map((s: { id: string }) => s.id)).toEqual([made[0]]);
    const active = await h.call("GET", `${S}?status=active`, h.tokens.viewer);
    expect(active.body.items.map((s: { id: string }) => s.id)).not.toContain(made[0]);
    expect(active.body.items.map((s: { id: string }) => s.id)).toContain(made[2]);

    const page = await h.call("GET", `${S}?limit=2`, h.tokens.viewer);
    expect(page.body.items).toHaveLength(2);
    const next = await h.call(
      "GET",
      `${S}?limit=2&cursor=${encodeURIComponent(page.body.nextCursor)}`,
      h.tokens.viewer,
    );
    expect(next.body.items[0].id).toBe(made[0]);

    expectInvalid(await h.call("GET", `${S}?status=sleeping`, h.tokens.viewer), "status");
    expectInvalid(await h.call("GET", `${S}?cursor=zzz`, h.tokens.viewer), "cursor");
    expectError(await h.call("GET", S), 401);
  });

  it("GET /sessions/{id}: 404 unknown", async () => {
    expectError(await h.call("GET", `${S}/no-such-session`, h.tokens.viewer), 404, "session.not_found");
    expectInvalid(await h.call("GET", `${S}/${"s".repeat(201)}`, h.tokens.viewer), "id");
  });

  it("heartbeat keeps a session alive; 403 other workers and viewers; 404; 409 once terminated", async () => {
    const w = await h.registerWorker("keeper");
    const other = await h.registerWorker("meddler");
    const session = await openFor(w);
    const path = `${S}/${session.id}/heartbeat`;
    h.ctx.clock.advance(10 * 60_000);
    const res = await h.call("POST", path, w.token);
    expect(res.status).toBe(200);
    expect(Date.parse(res.body.lastActivityAt)).toBe(h.ctx.clock.now());
    expect(Date.parse(res.body.reapAt)).toBe(h.ctx.clock.now() + h.ctx.config.sessionIdleMs);
    // People may press "Keep alive" too.
    expect((await h.call("POST", path, h.tokens.operator)).status).toBe(200);
    expect((await h.call("POST", `${S}/${session.sessionId}/heartbeat`, h.tokens.admin)).status).toBe(200);

    expectError(await h.call("POST", path, other.token), 403, "session.forbidden");
    expectError(await h.call("POST", path, h.tokens.viewer), 403, "auth.forbidden");
    expectError(await h.call("POST", path), 401);
    expectError(await h.call("POST", `${S}/no-such-session/heartbeat`, w.token), 404, "session.not_found");

    await h.call("DELETE", `${S}/${session.id}`, h.tokens.admin);
    expectError(await h.call("POST", path, w.token), 409, "session.terminated");
  });

  it("DELETE terminates with a reason; 409 twice; 403 viewer and other workers; 404", async () => {
    const w = await h.registerWorker("ender");
    const other = await h.registerWorker("bystander");
    const session = await openFor(w);
    const path = `${S}/${session.id}`;
    expectError(await h.call("DELETE", path, h.tokens.viewer), 403, "auth.forbidden");
    expectError(await h.call("DELETE", path, other.token), 403, "auth.not_self");
    expectInvalid(await h.call("DELETE", path, h.tokens.operator, { reason: "" }), "reason");
    expectInvalid(await h.call("DELETE", path, h.tokens.operator, { reason: 3 }), "reason");
    expectError(await h.call("DELETE", `${S}/no-such-session`, h.tokens.operator), 404, "session.not_found");

    const res = await h.call("DELETE", path, h.tokens.operator, { reason: "Stuck in a loop" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: "terminated",
      terminationReason: "Stuck in a loop",
      reapAt: null,
    });
    expect(res.body.terminatedAt).toEqual(expect.any(String));
    expectError(await h.call("DELETE", path, h.tokens.operator), 409, "session.terminated");

    // Without a body the reason names who ended it; a worker may end its own session.
    const own = await openFor(w);
    const mine = await h.call("DELETE", `${S}/${own.id}`, w.token);
    expect(mine.status).toBe(200);
    expect(mine.body.terminationReason).toBe("Terminated by worker ender");
  });

  it("terminating a session that runs a task fails its work order and task with the reason", async () => {
    const { task, worker, workOrder } = await claimedTask(h, { title: "Will be cut" });
    const { body: session } = await h.call("POST", S, worker.token, {
      sessionId: agentId(),
      workerId: worker.worker.id,
      taskId: task.id,
    });
    const res = await h.call("DELETE", `${S}/${session.id}`, h.tokens.operator, { reason: "Runaway" });
    expect(res.status).toBe(200);
    const after = await h.call("GET", `/api/v1/tasks/${task.id}`, h.tokens.viewer);
    expect(after.body).toMatchObject({ status: "failed", failureReason: "Session terminated: Runaway" });
    const executions = await h.call("GET", `/api/v1/tasks/${task.id}/executions`, h.tokens.viewer);
    expect(executions.body.items[0].status).toBe("failed");
    expectError(
      await h.call("POST", "/api/v1/queue/complete", worker.token, { workOrderId: workOrder.id }),
      409,
      "workOrder.invalid_state",
    );
  });
});
