import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type ApiHarness, apiHarness, claimedTask, expectError, expectInvalid } from "../../../test/api.ts";
import { type Received, startReceiver, webhookQueue } from "../../../test/webhooks.ts";

const SECRET = "whsec-test-0123456789abcdef";
const PUBLIC_URL = "http://agentvine.example.test";
const M = "/api/v1/chat/messages";

/** Admin-configured webhooks, delivered from the webhook queue by the local consumer loop to a real receiver. */
describe("webhooks API", () => {
  let h: ApiHarness;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let consumer: { stop(): Promise<void> };
  let hookId: string;
  const latencies: number[] = [];

  beforeAll(async () => {
    const queue = await webhookQueue("api-webhooks");
    h = await apiHarness("api-webhooks", {
      webhookQueue: queue.port,
      // Retries at once: the backoff's shape is unit-tested, its waits are not sat through.
      config: { webhookRetryBaseMs: 1, webhookRetryCapMs: 1, publicUrl: PUBLIC_URL },
    });
    consumer = queue.consume(h.ctx);
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await consumer?.stop();
    await receiver?.close();
    const sorted = [...latencies].sort((a, b) => a - b);
    if (sorted.length)
      console.log(
        `input.needed delivery latency over ${sorted.length} questions: p50 ${sorted[Math.floor(sorted.length / 2)]?.toFixed(1)} ms, max ${sorted.at(-1)?.toFixed(1)} ms`,
      );
  });

  const ask = (token: string, conversationId: string, message: string) =>
    h.call("POST", M, token, { conversationId, messageType: "request", message });
  /** The next delivery of this type (others, e.g. task.completed, are skipped). */
  const nextOf = async (type: string): Promise<Received> => {
    for (;;) {
      const r = await receiver.next();
      if (r.json.type === type) return r;
    }
  };

  it("registers a webhook (admin only), never shows its secret, refuses a non-http URL by field", async () => {
    const created = await h.call("POST", "/api/v1/webhooks", h.tokens.admin, {
      url: receiver.url,
      secret: SECRET,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({
      url: receiver.url,
      hasSecret: true,
      events: null,
      createdBy: "Ada admin",
    });
    expect(JSON.stringify(created.body)).not.toContain(SECRET);
    hookId = created.body.id;

    const listed = await h.call("GET", "/api/v1/webhooks", h.tokens.admin);
    expect(listed.body.items.map((w: { id: string }) => w.id)).toContain(hookId);
    expect(JSON.stringify(listed.body)).not.toContain(SECRET);

    expectInvalid(
      await h.call("POST", "/api/v1/webhooks", h.tokens.admin, { url: "ftp://example.com/x" }),
      "url",
    );
    expectInvalid(await h.call("POST", "/api/v1/webhooks", h.tokens.admin, { url: "not a url" }), "url");
    expectInvalid(
      await h.call("POST", "/api/v1/webhooks", h.tokens.admin, { url: receiver.url, events: ["task.eaten"] }),
      "events[0]",
    );
    expectError(await h.call("POST", "/api/v1/webhooks", h.tokens.operator, { url: receiver.url }), 403);
    expectError(await h.call("GET", "/api/v1/webhooks", h.tokens.viewer), 403);
    expectError(
      await h.call("GET", "/api/v1/webhooks/nope/deliveries", h.tokens.admin),
      404,
      "webhook.not_found",
    );
  });

  it("a question to a person arrives as input.needed, signed with the secret, linking to the task", async () => {
    const { task, worker } = await claimedTask(h, { title: "Needs an answer" });
    for (const n of [1, 2, 3, 4, 5]) {
      const started = performance.now();
      const asked = await ask(worker.token, task.id, `Which database, take ${n}?\nPostgres or SQLite`);
      expect(asked.status, JSON.stringify(asked.body)).toBe(201);
      const got = await nextOf("input.needed");
      latencies.push(got.at - started);

      const expected = `sha256=${createHmac("sha256", SECRET).update(got.body).digest("hex")}`;
      expect(got.headers["x-agentvine-signature"]).toBe(expected);
      expect(got.headers["x-agentvine-event"]).toBe("input.needed");
      expect(got.headers["x-agentvine-delivery"]).toEqual(expect.any(String));
      expect(got.json).toMatchObject({
        id: expect.any(String),
        type: "input.needed",
        createdAt: expect.any(String),
        data: {
          task: { id: task.id, title: "Needs an answer" },
          request: { id: asked.body.id, kind: "question", workerId: worker.worker.id },
        },
      });
      expect(got.json.data.request.message).toBe(`Which database, take ${n}?\nPostgres or SQLite`);
      expect(got.json.text).toBe(
        `AgentVine: "Needs an answer" asks: Which database, take ${n}? Postgres or SQLite ${PUBLIC_URL}/tasks/${task.id}`,
      );
    }
  });

  it("a receiver answering 500 twice then 200 gets three attempts, all listed with their outcomes", async () => {
    const { task, worker, workOrder } = await claimedTask(h, { title: "Flaky receiver" });
    receiver.control.statuses.push(500, 500);
    const done = await h.call("POST", "/api/v1/queue/complete", worker.token, {
      workOrderId: workOrder.id,
      output: "All done",
    });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    const attempts = [
      await nextOf("task.completed"),
      await nextOf("task.completed"),
      await nextOf("task.completed"),
    ];
    // The same event every time, each attempt its own delivery id.
    expect(new Set(attempts.map((a) => a.json.id)).size).toBe(1);
    expect(attempts.every((a) => a.json.data.task.id === task.id)).toBe(true);
    const deliveryIds = attempts.map((a) => a.headers["x-agentvine-delivery"]);

    await vi.waitFor(async () => {
      const listed = await h.call("GET", `/api/v1/webhooks/${hookId}/deliveries`, h.tokens.admin);
      const ofEvent = listed.body.items.filter(
        (d: { eventId: string }) => d.eventId === attempts[0]?.json.id,
      );
      expect(
        ofEvent.map((d: Record<string, unknown>) => [d.id, d.attempt, d.outcome, d.httpStatus, d.type]),
      ).toEqual([
        [deliveryIds[2], 3, "delivered", 200, "task.completed"],
        [deliveryIds[1], 2, "retrying", 500, "task.completed"],
        [deliveryIds[0], 1, "retrying", 500, "task.completed"],
      ]);
    });
  });

  it("a slow receiver delays no state change: the task completes while the receiver still holds input.needed", async () => {
    const { task, worker, workOrder } = await claimedTask(h, { title: "Slow receiver" });
    let release = () => {};
    receiver.control.gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const answeredBefore = receiver.control.answered;
    try {
      expect((await ask(worker.token, task.id, "Proceed?")).status).toBe(201);
      await nextOf("input.needed");
      // The receiver holds its answer; the next state change goes through all the same.
      const done = await h.call("POST", "/api/v1/queue/complete", worker.token, {
        workOrderId: workOrder.id,
        output: "Went ahead",
      });
      expect(done.status).toBe(200);
      expect((await h.call("GET", `/api/v1/tasks/${task.id}`, h.tokens.viewer)).body.status).toBe(
        "completed",
      );
      expect(receiver.control.answered).toBe(answeredBefore);
    } finally {
      receiver.control.gate = null;
      release();
    }
    await nextOf("task.completed");
  });

  it("flags a completion with empty output as suspicious: stored on the task and notified", async () => {
    const { task, worker, workOrder } = await claimedTask(h, { title: "Did nothing" });
    const done = await h.call("POST", "/api/v1/queue/complete", worker.token, { workOrderId: workOrder.id });
    expect(done.status).toBe(200);
    const got = await nextOf("task.suspicious");
    expect(got.json.data.task).toMatchObject({
      id: task.id,
      status: "completed",
      suspicious: "Completed with empty output",
    });
    expect(got.json.text).toBe(
      `AgentVine: "Did nothing" completed, but looks suspicious: Completed with empty output ${PUBLIC_URL}/tasks/${task.id}`,
    );
    const read = await h.call("GET", `/api/v1/tasks/${task.id}`, h.tokens.viewer);
    expect(read.body.suspicious).toBe("Completed with empty output");
  });

  it("a Claude Code run that changed no file is suspicious; one that did, or a stub with output, is not", async () => {
    const cases = [
      { agent: "claude-code", files: [], suspicious: "A Claude Code run that changed no file" },
      { agent: "claude-code", files: [{ path: "a.ts", added: 1, removed: 0 }], suspicious: null },
      { agent: "stub", files: undefined, suspicious: null },
    ];
    for (const c of cases) {
      const { task, worker, workOrder } = await claimedTask(h, { title: `Agent ${c.agent}`, agent: c.agent });
      const done = await h.call("POST", "/api/v1/queue/complete", worker.token, {
        workOrderId: workOrder.id,
        output: "Finished",
        report: c.files ? { files: c.files } : {},
      });
      expect(done.status, JSON.stringify(done.body)).toBe(200);
      const read = await h.call("GET", `/api/v1/tasks/${task.id}`, h.tokens.viewer);
      expect([c.agent, read.body.suspicious]).toEqual([c.agent, c.suspicious]);
    }
  });

  it("a failed task is notified as task.failed with its reason; a removed webhook gets nothing more", async () => {
    const { task, worker, workOrder } = await claimedTask(h, { title: "Breaks" });
    await h.call("POST", "/api/v1/queue/fail", worker.token, {
      workOrderId: workOrder.id,
      reason: "Tests failed",
    });
    const got = await nextOf("task.failed");
    expect(got.json.data.task).toMatchObject({
      id: task.id,
      status: "failed",
      failureReason: "Tests failed",
    });
    expect(got.json.text).toContain(`"Breaks" failed: Tests failed ${PUBLIC_URL}/tasks/${task.id}`);

    expect((await h.call("DELETE", `/api/v1/webhooks/${hookId}`, h.tokens.admin)).status).toBe(204);
    expectError(
      await h.call("DELETE", `/api/v1/webhooks/${hookId}`, h.tokens.admin),
      404,
      "webhook.not_found",
    );
  });
});
