import { mkdtemp, rm } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MAX_BODY_BYTES } from "@agentvine/functions/api/errors";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { startRuntime } from "./runtime.ts";

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
  /** A socket error seen while sending or receiving (a reset), if any. */
  error?: string;
}

/**
 * A POST of `bytes` bytes over a real socket, written in chunks as a client uploading would.
 * Settles once the answer has arrived and the body has been sent in full (or the socket failed).
 */
const post = (url: string, token: string, bytes: number, chunked = false) =>
  new Promise<Answer>((resolve) => {
    const req = request(url, {
      method: "POST",
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "application/json",
        ...(chunked ? {} : { "content-length": String(bytes) }),
      },
    });
    let answer: Omit<Answer, "error"> | undefined;
    let sent = false;
    let error: string | undefined;
    const settle = () => {
      if (error) resolve({ status: answer?.status ?? 0, headers: {}, body: answer?.body, error });
      else if (answer && sent) resolve(answer);
    };
    req.on("response", (res) => {
      let text = "";
      res.on("data", (chunk) => {
        text += chunk;
      });
      res.on("end", () => {
        answer = { status: res.statusCode ?? 0, headers: res.headers, body: text ? JSON.parse(text) : null };
        settle();
      });
    });
    req.on("error", (err: NodeJS.ErrnoException) => {
      error = err.code ?? err.message;
      settle();
    });
    req.on("finish", () => {
      sent = true;
      settle();
    });
    const chunk = Buffer.alloc(64 * 1024, "x");
    let left = bytes;
    const pump = () => {
      while (left > 0) {
        const part = chunk.subarray(0, Math.min(chunk.length, left));
        left -= part.length;
        if (!req.write(part)) return void req.once("drain", pump);
      }
      req.end();
    };
    pump();
  });

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

  /** What answered while start-up was held at "tables" (see beforeAll). */
  const duringStartup: { health?: Answer; post?: Answer; upgrade?: number } = {};

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "agentvine-runtime-"));
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let reached: () => void = () => {};
    const atTables = new Promise<void>((resolve) => {
      reached = resolve;
    });
    let listening: (url: string) => void = () => {};
    const url = new Promise<string>((resolve) => {
      listening = resolve;
    });
    const hold = async (part: string) => {
      if (part !== "tables") return;
      reached();
      await held;
    };
    const starting = startRuntime(
      { port: 0, host: "127.0.0.1", workers: 0, dataDir, adminToken: "test-admin-token-0123456789" },
      () => {},
      { onListening: listening, beforeDone: hold },
    );
    // Start-up is held before the table counts as ready: the port is open, the app is not.
    const base = await url;
    await atTables;
    const health = await fetch(new URL("/healthz", base));
    duringStartup.health = {
      status: health.status,
      headers: Object.fromEntries(health.headers),
      body: await health.json(),
    };
    duringStartup.post = await post(new URL("/api/v1/tasks", base).toString(), "any-token", 1000);
    const socket = new WebSocket(new URL("/api/v1/chat/ws", base.replace(/^http/, "ws")));
    duringStartup.upgrade = await new Promise<number>((resolve) => {
      socket.once("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
      socket.once("error", () => resolve(0));
    });
    release();
    runtime = await starting;
  }, 120_000);
  afterAll(async () => {
    await runtime?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("answers every request while starting: 503 with Retry-After, and health names what it waits for", () => {
    expect(duringStartup.health?.status).toBe(503);
    expect(duringStartup.health?.headers["retry-after"]).toBe("1");
    expect(duringStartup.health?.body).toEqual({
      ok: false,
      waiting: expect.arrayContaining(["tables", "api"]),
    });
    expect(duringStartup.health?.body.waiting).not.toContain("dynamodb");
    expect(duringStartup.post).toMatchObject({
      status: 503,
      headers: { "retry-after": "1" },
      body: { error: { code: "starting", details: { waiting: expect.arrayContaining(["tables"]) } } },
    });
    expect(duringStartup.post?.body.error.message).toMatch(/starting.*tables/);
    expect(duringStartup.upgrade).toBe(503);
  });

  it("refuses large bodies with 403/413 in the error shape, without cutting the connection", async () => {
    const claim = new URL("/api/v1/queue/claim", runtime.url).toString();
    const forbidden = await post(claim, runtime.adminToken, 5 * 1024 * 1024);
    expect(forbidden).toMatchObject({
      status: 403,
      body: { error: { code: "auth.forbidden", details: {} } },
    });
    expect(forbidden.error).toBeUndefined();
    for (const chunked of [false, true]) {
      const tooLarge = await post(claim, runtime.adminToken, MAX_BODY_BYTES + 512 * 1024, chunked);
      expect(tooLarge).toMatchObject({ status: 413, body: { error: { code: "payload_too_large" } } });
      expect(tooLarge.error).toBeUndefined();
    }
  });

  it("serves health, the OpenAPI document and the docs page", async () => {
    expect((await call("GET", "/healthz", undefined, null)).body).toEqual({ ok: true });
    const doc = await call("GET", "/openapi.json", undefined, null);
    expect(doc.body.paths["/api/v1/tasks"]).toBeDefined();
    // The docs page loads Swagger UI from the runtime itself, so it works without the internet.
    const page = await (await fetch(new URL("/docs", runtime.url))).text();
    const files = [...page.matchAll(/(?:href|src)="([^"]+)"/g)].map((m) => m[1] ?? "");
    expect(files).toEqual([
      "/docs/assets/swagger-ui-dist/swagger-ui.css",
      "/docs/assets/swagger-ui-dist/swagger-ui-bundle.js",
    ]);
    for (const file of files) {
      const res = await fetch(new URL(file, runtime.url));
      expect(res.status, file).toBe(200);
      expect(res.headers.get("content-type"), file).toMatch(/^text\/(css|javascript)/);
      expect((await res.arrayBuffer()).byteLength, file).toBeGreaterThan(10_000);
    }
    expect(
      (await fetch(new URL("/docs/assets/swagger-ui-dist/..%2F..%2Fpackage.json", runtime.url))).status,
    ).toBe(404);
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
