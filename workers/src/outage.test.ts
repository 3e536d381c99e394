import { type ChildProcess, spawn } from "node:child_process";
import { connect, createServer as createTcpServer, type Socket } from "node:net";
import { resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { TaskInfo } from "@agentvine/core/task/schema";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { awsClientEnv } from "../../test/runtime.ts";
import { listen, useInProcessApi } from "./in-process-worker.ts";

/**
 * Workers ride out outages: the REST API served over HTTP on the real engines, three workers
 * with the real API client and poller, and then the API server stopped (listener and every
 * connection closed), started again on the same port answering 503, then healthy; SQS is cut
 * too, through a TCP proxy. Work is enqueued meanwhile through core, as the API would.
 */
const UNAVAILABLE = '{"error":{"code":"unavailable","message":"Service Unavailable"}}';

/** A TCP proxy to SQS that can be taken away (port closed, connections dropped) and brought back. */
const tcpProxy = async (target: URL) => {
  const sockets = new Set<Socket>();
  const track = (s: Socket) => sockets.add(s.on("close", () => sockets.delete(s)).on("error", () => {}));
  const server = createTcpServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    track(client);
    track(upstream);
    client.pipe(upstream).pipe(client);
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  const port = await listen(server, 0);
  return {
    url: `http://127.0.0.1:${port}`,
    down: async () => {
      const closed = new Promise((ok) => server.close(ok));
      for (const s of sockets) s.destroy();
      await closed;
    },
    up: () => listen(server, port),
  };
};

describe("workers through an API and SQS outage", () => {
  let overloaded = false;
  const h = useInProcessApi("outage", (rest) => (req, res) => {
    if (!overloaded) return void rest(req, res);
    res.writeHead(503, { "content-type": "application/json", "retry-after": "1" }).end(UNAVAILABLE);
  });
  const { call } = h;
  let sqsProxy: Awaited<ReturnType<typeof tcpProxy>>;
  beforeAll(async () => {
    sqsProxy = await tcpProxy(new URL(inject("sqsEndpoint")));
  });

  const apiDown = async () => {
    const closed = new Promise((ok) => h.server.close(ok));
    h.server.closeAllConnections();
    await closed;
  };
  const startWorker = (name: string) => h.startWorker(name, { sqsEndpoint: sqsProxy.url });
  const enqueue = (title: string, description: string) =>
    call<TaskInfo>("POST", "/tasks", { title, description, taskType: "test" });
  const status = async (id: string) => (await call<TaskInfo>("GET", `/tasks/${id}`)).status;

  it("every worker rides the outage out, same worker, and completes the work", async () => {
    const workers = ["outage-0", "outage-1", "outage-2"].map(startWorker);
    await expect.poll(() => workers.every((w) => w.worker.workerId !== ""), { timeout: 60_000 }).toBe(true);
    const ids = workers.map((w) => w.worker.workerId);
    const count = (w: (typeof workers)[number] | undefined, pattern: RegExp) =>
      w?.lines.filter((l) => pattern.test(l.line)).length ?? 0;

    // One task runs when the outage starts and finishes during it: its result must not be lost.
    const inFlight = await enqueue("Across the outage", "work: 1500");
    const running = () => workers.find((w) => w.lines.some((l) => l.line.includes(inFlight.id)));
    await expect.poll(running, { timeout: 60_000 }).toBeDefined();
    const cutAt = Date.now();
    await Promise.all([apiDown(), sqsProxy.down()]);
    const queued = await Promise.all([1, 2, 3, 4, 5, 6].map((i) => enqueue(`Queued ${i}`, "work: 100")));
    await sleep(2_000);
    await sqsProxy.up(); // Deliveries arrive while the API is still away: claims fail and retry.
    await sleep(2_000);
    overloaded = true;
    await listen(h.server, Number(new URL(h.url).port));
    await sleep(2_000);
    overloaded = false;
    const backAt = Date.now();

    for (const t of [inFlight, ...queued])
      await expect.poll(() => status(t.id), { timeout: 90_000, interval: 250 }).toBe("completed");
    const runs = await call<{ items: { status: string }[] }>("GET", `/tasks/${inFlight.id}/executions`);
    expect(runs.items.map((e) => e.status)).toEqual(["completed"]);
    expect((await call<TaskInfo>("GET", `/tasks/${inFlight.id}`)).workerId).toBe(running()?.worker.workerId);

    expect(workers.map((w) => w.ended)).toEqual([false, false, false]);
    expect(workers.map((w) => w.worker.workerId)).toEqual(ids);
    // One line each way per outage. (A later lone reset of a keep-alive socket the server had
    // closed, common on a loaded machine, is an outage of its own: retried and logged the same.)
    for (const w of workers) {
      const log = w.lines.map((l) => l.line).join("\n");
      const startedDuring = w.lines.filter(
        (l) => l.at >= cutAt && l.at <= backAt && /^API unavailable/.test(l.line),
      );
      expect(startedDuring, log).toHaveLength(1);
      expect(count(w, /^API unavailable/), log).toBe(count(w, /^API back after/));
      expect(count(w, /^SQS unavailable/), log).toBe(count(w, /^SQS back after/));
    }
    expect(workers.some((w) => count(w, /^SQS unavailable/) === 1)).toBe(true);

    const claimedAt = await Promise.all(
      queued.map(async (t) => {
        const { data } = await h.ctx.db.workOrder.get({ id: t.currentWorkOrderId ?? "" }).go();
        return Date.parse(data?.claimedAt ?? "");
      }),
    );
    const back = workers.map((w) => w.lines.find((l) => /^API back after/.test(l.line))?.line);
    console.log(
      `API outage ${backAt - cutAt} ms (closed 4 s, 503 for 2 s), SQS closed 2 s; ${back.join("; ")}; ` +
        `first claim ${Math.min(...claimedAt) - backAt} ms after the API was back`,
    );
  }, 240_000);

  it("a bad enrolment token ends the worker process with a message naming the setting", async () => {
    const child: ChildProcess = spawn(
      process.execPath,
      ["--import", "tsx", resolve(import.meta.dirname, "main.ts")],
      {
        env: {
          ...process.env,
          ...awsClientEnv(inject("sqsEndpoint")),
          AGENTVINE_API_URL: h.url,
          AGENTVINE_WORKER_ENROLMENT_TOKEN: "avt_not-the-enrolment-secret",
          AGENTVINE_QUEUE_URLS: JSON.stringify(h.resources.queueUrls),
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let output = "";
    for (const stream of [child.stdout, child.stderr]) stream?.on("data", (d) => (output += String(d)));
    const code = await new Promise((ok) => child.once("exit", ok));
    expect(code).toBe(1);
    expect(output).toMatch(
      /fatal: the API refused to register this worker \(.*\): check AGENTVINE_WORKER_ENROLMENT_TOKEN/,
    );
  }, 90_000);
});
