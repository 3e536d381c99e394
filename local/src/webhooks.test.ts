import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSystem, type TestSystem } from "../../test/system.ts";
import { startReceiver } from "../../test/webhooks.ts";

const SECRET = "runtime-webhook-secret-0123456789";

/**
 * `npm start` with AGENTVINE_WEBHOOK_URL: the webhook is made at start, and a question to a
 * person reaches the receiver through the runtime's own webhook queue and consumer loop.
 */
describe("webhooks in the local runtime", () => {
  let system: TestSystem;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const latencies: number[] = [];

  beforeAll(async () => {
    receiver = await startReceiver();
    system = await startSystem("webhooks", {
      workers: 0,
      // No reaper ticks piling up on a busy machine (they share the runtime's SDK sockets) to
      // cloud the latency figure; this test needs none.
      env: {
        AGENTVINE_WEBHOOK_URL: receiver.url,
        AGENTVINE_WEBHOOK_SECRET: SECRET,
        AGENTVINE_REAPER_INTERVAL_MS: "600000",
      },
    });
  }, 120_000);
  afterAll(async () => {
    await system?.stop();
    await receiver?.close();
    const sorted = [...latencies].sort((a, b) => a - b);
    if (sorted.length)
      console.log(
        `input.needed delivery latency (local runtime) over ${sorted.length} questions: p50 ${sorted[Math.floor(sorted.length / 2)]?.toFixed(1)} ms, max ${sorted.at(-1)?.toFixed(1)} ms`,
      );
  });

  const as = async <T>(token: string, method: string, path: string, body: unknown): Promise<T> => {
    const res = await fetch(new URL(`/api/v1${path}`, system.runtime.url), {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const json = await res.json();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json as T;
  };

  it("makes the webhook of AGENTVINE_WEBHOOK_URL at start, its secret not shown", async () => {
    const { items } = await system.call<{ items: { id: string; url: string; hasSecret: boolean }[] }>(
      "GET",
      "/webhooks",
    );
    expect(items).toEqual([expect.objectContaining({ id: "env", url: receiver.url, hasSecret: true })]);
    expect(JSON.stringify(items)).not.toContain(SECRET);
  });

  it("delivers input.needed for a question, signed, with a link to the task in this runtime's web UI", async () => {
    const task = await system.call<{ id: string; currentWorkOrderId: string }>("POST", "/tasks", {
      title: "Asks the runtime",
    });
    const { worker, token } = await system.call<{ worker: { id: string }; token: string }>(
      "POST",
      "/workers",
      {
        name: "webhook-worker",
      },
    );
    await as(token, "POST", "/queue/claim", { workerId: worker.id, workOrderId: task.currentWorkOrderId });
    for (const n of [1, 2, 3, 4, 5]) {
      const started = performance.now();
      await as(token, "POST", "/chat/messages", {
        conversationId: task.id,
        messageType: "request",
        message: `Question ${n}?`,
      });
      const got = await receiver.next();
      latencies.push(got.at - started);
      expect(got.json).toMatchObject({
        type: "input.needed",
        data: { request: { message: `Question ${n}?` } },
      });
      expect(got.headers["x-agentvine-signature"]).toBe(
        `sha256=${createHmac("sha256", SECRET).update(got.body).digest("hex")}`,
      );
      expect(got.json.text).toBe(
        `AgentVine: "Asks the runtime" asks: Question ${n}? ${system.runtime.url}tasks/${task.id}`,
      );
    }
  }, 120_000);
});
