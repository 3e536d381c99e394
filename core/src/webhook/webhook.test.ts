import { defaultConfig } from "@agentvine/core/config";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestCtx, testCtx } from "../../../test/context.ts";
import { startReceiver } from "../../../test/webhooks.ts";
import { internalLiteral, isInternal } from "./address-guard.ts";
import { backoffSeconds, handle, MAX_ATTEMPTS } from "./deliver.ts";
import type { WebhookMessage } from "./message.ts";
import { ENV_WEBHOOK_ID, ensureFromEnv } from "./service.ts";
import * as Store from "./store.ts";

const event = (type: WebhookMessage["event"]["type"] = "task.completed") => ({
  id: `ev-${Math.random().toString(36).slice(2)}`,
  type,
  createdAt: "2026-01-01T00:00:00.000Z",
  data: { task: { id: "t-1", title: "A task" } },
});

describe("webhook delivery backoff", () => {
  it("doubles from the base up to the cap, and at least 5 tries are made", () => {
    const config = defaultConfig();
    expect([1, 2, 3, 4, 5].map((n) => backoffSeconds(config, n))).toEqual([30, 60, 120, 240, 480]);
    expect(backoffSeconds({ ...config, webhookRetryCapMs: 100_000 }, 5)).toBe(100);
    expect(backoffSeconds({ ...config, webhookRetryBaseMs: 1, webhookRetryCapMs: 1 }, 3)).toBe(0);
    expect(MAX_ATTEMPTS).toBeGreaterThanOrEqual(5);
  });
});

describe("the address guard (on AWS)", () => {
  it("refuses link-local and metadata addresses, IPv4-mapped ones too, and lets others through", () => {
    for (const a of [
      "169.254.169.254",
      "169.254.170.2",
      "fe80::1",
      "fd00:ec2::254",
      "::ffff:169.254.169.254",
    ])
      expect([a, isInternal(a)]).toEqual([a, true]);
    for (const a of ["127.0.0.1", "10.0.0.5", "93.184.216.34", "2001:db8::1"])
      expect([a, isInternal(a)]).toEqual([a, false]);
    expect(internalLiteral("http://169.254.169.254/latest/meta-data/")).toBe(true);
    expect(internalLiteral("http://[fe80::1]:8080/hook")).toBe(true);
    expect(internalLiteral("https://hooks.example.com/x")).toBe(false);
  });
});

/** The delivery handler on the real engines, POSTing to a real receiver; retries go to a recording queue port. */
describe("webhook delivery handler", () => {
  let ctx: TestCtx;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const sent: { message: WebhookMessage; delaySeconds: number | undefined }[] = [];
  const hook = async (id: string, url: string, extra: { events?: string[] } = {}) =>
    Store.put(ctx, { id, url, ...extra, createdAt: "2026-01-01T00:00:00.000Z", createdBy: "test" });
  const attemptsOf = async (id: string) =>
    (await Store.deliveries(ctx, id, 50, null)).data.map((d) => [
      d.attempt,
      d.outcome,
      d.httpStatus ?? d.error,
    ]);

  beforeAll(async () => {
    ctx = {
      ...(await testCtx("webhook-delivery", { webhookTimeoutMs: 200 })),
      webhookQueue: { send: async (message, delaySeconds) => void sent.push({ message, delaySeconds }) },
    };
    receiver = await startReceiver();
  });
  afterAll(() => receiver?.close());

  it("sends an event to the webhooks that want it only", async () => {
    await hook("wants-all", receiver.url);
    await hook("wants-failed", receiver.url.replace("/hook", "/failed"), { events: ["task.failed"] });
    await handle(ctx, JSON.stringify({ event: event("input.needed") }));
    expect(await attemptsOf("wants-all")).toEqual([[1, "delivered", 200]]);
    expect(await attemptsOf("wants-failed")).toEqual([]);
    await Store.remove(ctx, "wants-all");
    await Store.remove(ctx, "wants-failed");
  });

  it("on AWS refuses a metadata address at once, without retrying; a name is checked once resolved", async () => {
    await hook("metadata", "http://169.254.169.254/latest/meta-data/");
    await hook("by-name", `http://localhost:${receiver.port}/named`);
    sent.length = 0;
    await handle(ctx, JSON.stringify({ event: event() }), { refuseInternal: true });
    const [refused] = (await Store.deliveries(ctx, "metadata", 10, null)).data;
    expect(refused).toMatchObject({ attempt: 1, outcome: "failed" });
    expect(refused?.error).toMatch(/internal/);
    expect(await attemptsOf("by-name")).toEqual([[1, "delivered", 200]]);
    expect(sent).toEqual([]);
    await Store.remove(ctx, "metadata");
    await Store.remove(ctx, "by-name");
  });

  it("queues the next attempt with its backoff after a failure or a timeout, and gives up after the last", async () => {
    const config = ctx.config;
    await hook("flaky", receiver.url);
    sent.length = 0;
    receiver.control.statuses.push(503);
    const ev = event();
    await handle(ctx, JSON.stringify({ event: ev, webhookId: "flaky", attempt: 2 }));
    expect(sent).toEqual([
      { message: { event: ev, webhookId: "flaky", attempt: 3 }, delaySeconds: backoffSeconds(config, 2) },
    ]);

    let release = () => {};
    receiver.control.gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    await handle(ctx, JSON.stringify({ event: ev, webhookId: "flaky", attempt: 3 }));
    receiver.control.gate = null;
    release();

    receiver.control.statuses.push(500);
    await handle(ctx, JSON.stringify({ event: ev, webhookId: "flaky", attempt: MAX_ATTEMPTS }));
    expect(sent.map((s) => s.message.attempt)).toEqual([3, 4]);
    expect(await attemptsOf("flaky")).toEqual([
      [MAX_ATTEMPTS, "failed", 500],
      [3, "retrying", "No answer within 200 ms"],
      [2, "retrying", 503],
    ]);
  });

  it("drops a message that is not a webhook message rather than fail on it forever", async () => {
    await expect(handle(ctx, "not json")).resolves.toBeUndefined();
    await expect(handle(ctx, JSON.stringify({ event: { type: "nope" } }))).resolves.toBeUndefined();
  });
});

describe("the webhook from AGENTVINE_WEBHOOK_URL", () => {
  it("is made at start, follows the variables, and goes when they are unset", async () => {
    const ctx = await testCtx("webhook-env");
    await ensureFromEnv(ctx, { url: "https://hooks.example.com/a", secret: "0123456789abcdef" });
    expect(await Store.get(ctx, ENV_WEBHOOK_ID)).toMatchObject({
      url: "https://hooks.example.com/a",
      secret: "0123456789abcdef",
    });
    const createdAt = (await Store.get(ctx, ENV_WEBHOOK_ID))?.createdAt;
    ctx.clock.advance(1000);
    await ensureFromEnv(ctx, { url: "https://hooks.example.com/b" });
    expect(await Store.get(ctx, ENV_WEBHOOK_ID)).toEqual(
      expect.objectContaining({ url: "https://hooks.example.com/b", createdAt }),
    );
    expect((await Store.get(ctx, ENV_WEBHOOK_ID))?.secret).toBeUndefined();
    await expect(ensureFromEnv(ctx, { url: "ftp://x" })).rejects.toThrow(/AGENTVINE_WEBHOOK_URL/);
    await expect(ensureFromEnv(ctx, { url: "https://x.example", secret: "short" })).rejects.toThrow(
      /AGENTVINE_WEBHOOK_SECRET/,
    );
    await ensureFromEnv(ctx, {});
    expect(await Store.get(ctx, ENV_WEBHOOK_ID)).toBeNull();
  });
});
