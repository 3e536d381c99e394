import { describe, expect, it } from "vitest";
import { claimedTask, expectError, expectInvalid, useApiHarness } from "../../../test/api.ts";

const WORKERS = "/api/v1/workers";

describe("workers API", () => {
  const h = useApiHarness("api-workers");

  it("registers a worker with the admin token or the enrolment token, returning its own token", async () => {
    const res = await h.call("POST", WORKERS, h.tokens.admin, {
      name: "builder-1",
      host: "ip-10-0-0-1",
      pid: 4242,
      runtimeId: "arn:aws:ecs:task/abc",
    });
    expect(res.status).toBe(201);
    expect(res.body.worker).toMatchObject({
      name: "builder-1",
      status: "idle",
      host: "ip-10-0-0-1",
      pid: 4242,
      runtimeId: "arn:aws:ecs:task/abc",
      currentTaskId: null,
      currentWorkOrderId: null,
    });
    expect(res.body.token).toMatch(/^avw_/);
    // The worker's token works as that worker.
    const me = await h.call("GET", `${WORKERS}/${res.body.worker.id}`, res.body.token);
    expect(me.status).toBe(200);
    expect(me.body).toEqual(res.body.worker);

    const enrolled = await h.registerWorker("builder-2", h.tokens.enrolment);
    expect(enrolled.worker.name).toBe("builder-2");
    expect(enrolled.token).not.toBe(res.body.token);
  });

  it("registration: 400 bad body, 401 no token, 403 other roles", async () => {
    expectInvalid(await h.call("POST", WORKERS, h.tokens.admin, {}), "name");
    expectInvalid(await h.call("POST", WORKERS, h.tokens.admin, { name: "  " }), "name");
    expectInvalid(await h.call("POST", WORKERS, h.tokens.admin, { name: "w", pid: -1 }), "pid");
    expectInvalid(await h.call("POST", WORKERS, h.tokens.enrolment, { name: "w", pid: "12" }), "pid");
    expectInvalid(await h.call("POST", WORKERS, h.tokens.enrolment, "{oops"), "body");
    expectError(await h.call("POST", WORKERS, undefined, { name: "w" }), 401, "auth.missing_token");
    expectError(await h.call("POST", WORKERS, "avt_wrong", { name: "w" }), 401, "auth.invalid_token");
    expectError(await h.call("POST", WORKERS, h.tokens.operator, { name: "w" }), 403, "auth.forbidden");
    expectError(await h.call("POST", WORKERS, h.tokens.viewer, { name: "w" }), 403, "auth.forbidden");
    const w = await h.registerWorker("self-replicator");
    expectError(await h.call("POST", WORKERS, w.token, { name: "w" }), 403, "auth.forbidden");
  });

  it("the enrolment token may only register workers", async () => {
    const w = await h.registerWorker("victim");
    const t = h.tokens.enrolment;
    const attempts = [
      await h.call("GET", WORKERS, t),
      await h.call("GET", `${WORKERS}/${w.worker.id}`, t),
      await h.call("DELETE", `${WORKERS}/${w.worker.id}`, t),
      await h.call("POST", `${WORKERS}/${w.worker.id}/heartbeat`, t),
      await h.call("GET", "/api/v1/tasks", t),
      await h.call("POST", "/api/v1/tasks", t, { title: "x" }),
      await h.call("POST", "/api/v1/queue/claim", t, { workerId: w.worker.id }),
      await h.call("GET", "/api/v1/queue/status", t),
      await h.call("GET", "/api/v1/sessions", t),
      await h.call("GET", "/api/v1/chat/pending", t),
      await h.call("POST", "/api/v1/ws-ticket", t),
      await h.call("GET", "/api/v1/workers-scale", t),
      await h.call("PUT", "/api/v1/workers-scale", t, { desired: 9 }),
      await h.call("GET", "/api/v1/activity", t),
    ];
    for (const res of attempts) expectError(res, 403, "auth.forbidden");
    expect((await h.call("GET", `${WORKERS}/${w.worker.id}`, h.tokens.viewer)).status).toBe(200);
  });

  it("lists workers latest heartbeat first, paginated; GET one; 404 unknown", async () => {
    const a = await h.registerWorker("list-a");
    h.ctx.clock.advance(1000);
    const b = await h.registerWorker("list-b");
    const list = await h.call("GET", WORKERS, h.tokens.viewer);
    expect(list.status).toBe(200);
    const ids = list.body.items.map((w: { id: string }) => w.id);
    expect(ids.indexOf(b.worker.id)).toBeLessThan(ids.indexOf(a.worker.id));
    expect(ids.indexOf(a.worker.id)).toBeGreaterThanOrEqual(0);

    const first = await h.call("GET", `${WORKERS}?limit=1`, h.tokens.operator);
    expect(first.body.items).toHaveLength(1);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await h.call(
      "GET",
      `${WORKERS}?limit=1&cursor=${encodeURIComponent(first.body.nextCursor)}`,
      h.tokens.operator,
    );
    expect(second.body.items).toHaveLength(1);
    expect(second.body.items[0].id).not.toBe(first.body.items[0].id);

    expect((await h.call("GET", `${WORKERS}/${a.worker.id}`, b.token)).body.name).toBe("list-a");
    expectError(await h.call("GET", `${WORKERS}/no-such-worker`, h.tokens.viewer), 404, "worker.not_found");
    expectInvalid(await h.call("GET", `${WORKERS}?limit=500`, h.tokens.viewer), "limit");
    expectError(await h.call("GET", WORKERS), 401);
  });

  it("DELETE deregisters: the worker is gone and its token gets 401", async () => {
    const w = await h.registerWorker("leaving");
    const other = await h.registerWorker("other");
    const path = `${WORKERS}/${w.worker.id}`;
    expectError(await h.call("DELETE", path, other.token), 403, "auth.not_self");
    expectError(await h.call("DELETE", path, h.tokens.operator), 403, "auth.forbidden");
    expectError(await h.call("DELETE", path, h.tokens.viewer), 403, "auth.forbidden");
    expectError(await h.call("DELETE", `${WORKERS}/no-such-worker`, h.tokens.admin), 404, "worker.not_found");
    expectError(await h.call("DELETE", path), 401);

    const res = await h.call("DELETE", path, h.tokens.admin);
    expect(res.status).toBe(204);
    expect(res.body).toBeNull();
    expectError(await h.call("GET", path, h.tokens.viewer), 404, "worker.not_found");
    expectError(await h.call("POST", `${path}/heartbeat`, w.token), 401, "auth.invalid_token");
    expectError(await h.call("GET", "/api/v1/tasks", w.token), 401, "auth.invalid_token");
    expectError(await h.call("DELETE", path, h.tokens.admin), 404);
    // The other worker's token is untouched.
    expect((await h.call("POST", `${WORKERS}/${other.worker.id}/heartbeat`, other.token)).status).toBe(200);
  });

  it("a worker may deregister itself", async () => {
    const w = await h.registerWorker("quitter");
    expect((await h.call("DELETE", `${WORKERS}/${w.worker.id}`, w.token)).status).toBe(204);
    expectError(await h.call("GET", WORKERS, w.token), 401, "auth.invalid_token");
  });

  it("heartbeat with no body and with a status; 400 bad status; 403 for anyone but the worker", async () => {
    const w = await h.registerWorker("beater");
    const path = `${WORKERS}/${w.worker.id}/heartbeat`;
    h.ctx.clock.advance(5000);
    const plain = await h.call("POST", path, w.token);
    expect(plain.status).toBe(200);
    expect(plain.body.leaseLost).toBe(false);
    expect(plain.body.worker).toMatchObject({ id: w.worker.id, status: "idle" });
    expect(Date.parse(plain.body.worker.lastHeartbeatAt)).toBe(h.ctx.clock.now());

    const error = await h.call("POST", path, w.token, { status: "error" });
    expect(error.status).toBe(200);
    expect(error.body.worker.status).toBe("error");
    expect((await h.call("GET", `${WORKERS}/${w.worker.id}`, h.tokens.viewer)).body.status).toBe("error");
    // No body keeps the reported status; idle reports recovery.
    expect((await h.call("POST", path, w.token)).body.worker.status).toBe("error");
    expect((await h.call("POST", path, w.token, { status: "idle" })).body.worker.status).toBe("idle");
    expect((await h.call("POST", path, w.token, {})).status).toBe(200);

    expectInvalid(await h.call("POST", path, w.token, { status: "busy" }), "status");
    expectInvalid(await h.call("POST", path, w.token, "{"), "body");
    const other = await h.registerWorker("impostor");
    expectError(await h.call("POST", path, other.token), 403, "auth.not_self");
    expectError(await h.call("POST", path, h.tokens.admin), 403, "auth.forbidden");
    expectError(await h.call("POST", path, h.tokens.operator), 403, "auth.forbidden");
    expectError(await h.call("POST", path), 401);
  });

  it("a silent worker shows offline; a heartbeat brings it back", async () => {
    const w = await h.registerWorker("sleepy");
    h.ctx.clock.advance(3 * h.ctx.config.heartbeatIntervalMs + 1);
    expect((await h.call("GET", `${WORKERS}/${w.worker.id}`, h.tokens.viewer)).body.status).toBe("offline");
    const back = await h.call("POST", `${WORKERS}/${w.worker.id}/heartbeat`, w.token);
    expect(back.body.worker.status).toBe("idle");
  });

  it("heartbeat renews the lease of the held work order, and reports a lost one", async () => {
    const { worker, workOrder } = await claimedTask(h, { title: "Leased" });
    const path = `${WORKERS}/${worker.worker.id}/heartbeat`;
    const held = await h.call("POST", path, worker.token);
    expect(held.body).toMatchObject({
      leaseLost: false,
      worker: { status: "busy", currentWorkOrderId: workOrder.id },
    });

    // The worker goes silent past its lease; another worker takes the work over.
    h.ctx.clock.advance(h.ctx.config.leaseMs + 1);
    const rescuer = await h.registerWorker("rescuer");
    const takeover = await h.call("POST", "/api/v1/queue/claim", rescuer.token, {
      workerId: rescuer.worker.id,
      workOrderId: workOrder.id,
    });
    expect(takeover.status).toBe(200);
    expect(takeover.body.workOrder).toMatchObject({ workerId: rescuer.worker.id, retryCount: 1 });

    const lost = await h.call("POST", path, worker.token);
    expect(lost.status).toBe(200);
    expect(lost.body.leaseLost).toBe(true);
    const kept = await h.call("POST", `${WORKERS}/${rescuer.worker.id}/heartbeat`, rescuer.token);
    expect(kept.body.leaseLost).toBe(false);
  });
});
