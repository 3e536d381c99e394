import { sqsQueue } from "@agentvine/core/adapters/sqs-queue";
import type { QueuePort } from "@agentvine/core/ports/queue";
import { beforeEach, describe, expect, it } from "vitest";
import { freshResources } from "../../test/engines.ts";
import { createPoller } from "./poller.ts";

/** The poller on the real SQS engine (fauxqs): order, idle pickup, and long polls that outlive a call. */
describe("poller", () => {
  let queue: QueuePort;
  const send = (priority: "high" | "normal" | "low", id: string) =>
    queue.send(priority, { workOrderId: id, taskId: id });

  beforeEach(async () => {
    const r = await freshResources("poller");
    queue = sqsQueue(r.sqs, r.queueUrls);
  });

  it("takes waiting messages in strict priority order", async () => {
    const poller = createPoller(queue, { waitSeconds: 1, visibilitySeconds: 30 });
    await send("low", "l");
    await send("normal", "n");
    await send("high", "h");
    const order = [];
    for (let i = 0; i < 3; i++) order.push((await poller.next())?.body.workOrderId);
    expect(order).toEqual(["h", "n", "l"]);
    await poller.drain();
  });

  it("picks up messages sent while idle, including one a poll left out by the last call caught", async () => {
    const poller = createPoller(queue, { waitSeconds: 5, visibilitySeconds: 30 });
    const next = poller.next();
    setTimeout(() => void send("normal", "n1"), 200);
    expect((await next)?.body.workOrderId).toBe("n1");

    // Call 1's high and low polls are still out: they serve call 2 rather than compete with it.
    const next2 = poller.next();
    setTimeout(() => void send("high", "h1"), 200);
    expect((await next2)?.body.workOrderId).toBe("h1");
    await poller.drain();
  }, 20_000);

  it("keeps at most one long poll per queue out, however many calls it serves", async () => {
    const out = { high: 0, normal: 0, low: 0 };
    let most = 0;
    const counted: QueuePort = {
      ...queue,
      receive: async (priority, options) => {
        if (options.waitSeconds === 0) return queue.receive(priority, options);
        most = Math.max(most, ++out[priority]);
        try {
          return await queue.receive(priority, options);
        } finally {
          out[priority]--;
        }
      },
    };
    const poller = createPoller(counted, { waitSeconds: 2, visibilitySeconds: 30 });
    for (let i = 0; i < 4; i++) {
      const next = poller.next();
      setTimeout(() => void send("normal", `n${i}`), 100);
      expect((await next)?.body.workOrderId).toBe(`n${i}`);
    }
    // Piled-up polls would each take a message before the call waiting now could.
    expect(most).toBe(1);
    await poller.drain();
  }, 20_000);

  it("gives back at once a delivery that comes while no call waits", async () => {
    const poller = createPoller(queue, { waitSeconds: 2, visibilitySeconds: 30 });
    const next = poller.next();
    setTimeout(() => void send("normal", "n"), 100);
    expect((await next)?.body.workOrderId).toBe("n");
    // No call waits now; the high poll still out catches this one and makes it visible again.
    await send("high", "h");
    await poller.drain();
    const [again] = await queue.receive("high", { waitSeconds: 0, visibilitySeconds: 30 });
    expect(again?.body.workOrderId).toBe("h");
  }, 20_000);

  it("a long poll that fails (SQS unreachable) fails the call, leaving no stray rejection", async () => {
    // The real queue for the quick scan; the long polls fail as they do when SQS drops away.
    const unreachable: QueuePort = {
      ...queue,
      receive: async (priority, options) => {
        if (options.waitSeconds === 0) return queue.receive(priority, options);
        throw Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9324"), { code: "ECONNREFUSED" });
      },
    };
    const poller = createPoller(unreachable, { waitSeconds: 1, visibilitySeconds: 30 });
    await expect(poller.next()).rejects.toThrow("ECONNREFUSED");
    await poller.drain();
  });

  it("a scan whose high poll fails gives back what the other queues delivered and fails the call", async () => {
    await send("normal", "n");
    let highFails = true;
    const flaky: QueuePort = {
      ...queue,
      receive: async (priority, options) => {
        if (priority === "high" && highFails) {
          highFails = false;
          throw Object.assign(new Error("SQS 500"), { name: "InternalError" });
        }
        return queue.receive(priority, options);
      },
    };
    const poller = createPoller(flaky, { waitSeconds: 1, visibilitySeconds: 30 });
    await expect(poller.next()).rejects.toThrow("SQS 500");
    // Not hidden for the 30 s visibility: the next call takes it at once.
    expect((await poller.next())?.body.workOrderId).toBe("n");
    await poller.drain();
  });
});
