import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { startRuntime } from "./runtime.ts";

/**
 * The acceptance, driven as a new user would: plain HTTP against the whole local
 * runtime (its own DynamoDB Local, fauxqs, REST app and WebSocket gateway on one port).
 */
describe("local runtime", () => {
  let runtime: Awaited<ReturnType<typeof startRuntime>>;
  let dataDir: string;
  const call = async (
    method: string,
    path: string,
    body?: unknown,
    token: string | null = runtime.adminToken,
  ) => {
    const res = await fetch(new URL(path, runtime.url), {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), "content-type": "application/json" },
      ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "agentvine-runtime-"));
    runtime = await startRuntime(
      { port: 0, host: "127.0.0.1", workers: 0, dataDir, adminToken: "test-admin-token-0123456789" },
      () => {},
    );
  }, 60_000);
  afterAll(async () => {
    await runtime?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("serves health, the OpenAPI document and the docs page", async () => {
    expect((await call("GET", "/healthz", undefined, null)).body).toEqual({ ok: true });
    const doc = await call("GET", "/openapi.json", undefined, null);
    expect(doc.body.paths["/api/v1/tasks"]).toBeDefined();
    const docs = await fetch(new URL("/docs", runtime.url));
    expect(await docs.text()).toContain("swagger");
  });

  it("takes a task through create, list, queue status and an exactly-once claim", async () => {
    expect((await call("GET", "/api/v1/tasks", undefined, null)).status).toBe(401);
    const bad = await call("POST", "/api/v1/tasks", { title: "x", priority: "urgent" });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.fields).toHaveProperty("priority");

    const created = await call("POST", "/api/v1/tasks", {
      title: "Add tests",
      priority: "low",
      taskType: "test",
    });
    expect(created.status).toBe(201);
    const list = await call("GET", "/api/v1/tasks?status=queued");
    expect(list.body.items.map((t: { id: string }) => t.id)).toContain(created.body.id);
    const stats = await call("GET", "/api/v1/queue/status");
    expect(stats.body.queues.low.visible).toBe(1);

    const registered = await call("POST", "/api/v1/workers", { name: "curl-worker" });
    expect(registered.status).toBe(201);
    const { worker, token } = registered.body;
    const claims = await Promise.all(
      [1, 2, 3].map(() => call("POST", "/api/v1/queue/claim", { workerId: worker.id }, token)),
    );
    const won = claims.filter((c) => c.status === 200);
    expect(won).toHaveLength(1);
    expect(won[0]?.body.workOrder.taskId).toBe(created.body.id);
    expect(claims.filter((c) => c.status === 204)).toHaveLength(2);
  });

  it("pushes events over the WebSocket opened with a one-use ticket", async () => {
    const { body } = await call("POST", "/api/v1/ws-ticket");
    expect(body.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/api\/v1\/chat\/ws\?ticket=/);
    const socket = new WebSocket(body.url);
    const events: { type: string; data: { title?: string } }[] = [];
    socket.on("message", (data) => events.push(JSON.parse(String(data))));
    await new Promise((ok, fail) => socket.once("open", ok).once("error", fail));
    await call("POST", "/api/v1/tasks", { title: "Live one" });
    await expect
      .poll(() => events.some((e) => e.type === "task.updated" && e.data.title === "Live one"))
      .toBe(true);
    socket.close();

    const reused = new WebSocket(body.url);
    const status = await new Promise<number>((ok) =>
      reused.once("unexpected-response", (_req, res) => ok(res.statusCode ?? 0)),
    );
    expect(status).toBe(401);
  });
});
