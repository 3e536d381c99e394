import { sqsQueue } from "@agentvine/core/adapters/sqs-queue";
import type { QueuePort } from "@agentvine/core/ports/queue";
import { beforeEach, describe, expect, it } from "vitest";
import { freshResources } from "../../test/engines.ts";
import { createPoller } from "./poller.ts";

/** The poller on the real SQS engine (fauxqs): order, idle pickup, and stray long polls. */
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

  it("picks up messages sent while idle, including one a stray long poll caught", async () => {
    const poller = createPoller(queue, { waitSeconds: 5, visibilitySeconds: 30 });
    const next = poller.next();
    setTimeout(() => void send("normal", "n1"), 200);
    expect((await next)?.body.workOrderId).toBe("n1");

    // Round 1's high and low polls are still out. A message one of them catches is given back
    // and offered to round 2, whose own polls would otherwise come back empty.
    const next2 = poller.next();
    setTimeout(() => void send("high", "h1"), 200);
    expect((await next2)?.body.workOrderId).toBe("h1");
    await poller.drain();
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
