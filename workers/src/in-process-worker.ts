import { createServer, type RequestListener, type Server } from "node:http";
import type { Server as NetServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sqsClient, sqsQueue } from "@agentvine/core/adapters/sqs-queue";
import * as Auth from "@agentvine/core/auth/service";
import { systemClock } from "@agentvine/core/clock";
import { defaultConfig } from "@agentvine/core/config";
import type { Ctx } from "@agentvine/core/context";
import type { Agent } from "@agentvine/core/db/enums";
import { createDb } from "@agentvine/core/db/index";
import { hashSecret } from "@agentvine/core/ids";
import { getRequestListener } from "@hono/node-server";
import { afterAll, beforeAll, inject } from "vitest";
import { memoryScaler, recordingPush, tempBlob } from "../../test/context.ts";
import { type FreshResources, freshResources } from "../../test/engines.ts";
import { awsClientConfig, createApp } from "../../test/runtime.ts";
import { ApiClient } from "./api-client.ts";
import { createBackoff } from "./backoff.ts";
import type { Executor } from "./executor.ts";
import { createPoller } from "./poller.ts";
import { noTaskProtection } from "./protection.ts";
import type { RealtimeClient } from "./realtime-client.ts";
import { stubExecutor } from "./stub-executor.ts";
import { AgentWorker } from "./worker.ts";
import { Workspaces } from "./workspace/index.ts";

/**
 * A test fixture: the REST API on the real engines, served over HTTP from the test's process,
 * and AgentWorkers built in the same process with the real API client and poller, whose
 * dependencies a test can choose (agents, the SQS endpoint). Their realtime link is a quiet
 * stand-in: a worker here hears nothing pushed (no answer, no terminated session), so what it
 * does without being told is what a test sees.
 */
const ENROLMENT = "avt_in-process-enrolment-secret";

const noRealtime = {
  connect: async () => {},
  on: () => () => true,
  onResync: () => () => true,
  close: () => {},
} as unknown as RealtimeClient;

/** Listens on 127.0.0.1 (port 0: any free one); resolves to the port. */
export const listen = (server: Pick<NetServer, "listen" | "address">, port: number) =>
  new Promise<number>((ok) =>
    server.listen(port, "127.0.0.1", () => ok((server.address() as { port: number }).port)),
  );

export interface InProcessWorker {
  worker: AgentWorker;
  lines: { at: number; line: string }[];
  ended: boolean;
}

/**
 * Sets the API up before the file's tests and closes it and every worker after. `serve` may put
 * something in front of the app's listener (an outage answering 503).
 */
export const useInProcessApi = (
  name: string,
  serve: (app: RequestListener) => RequestListener = (app) => app,
) => {
  const h = {
    resources: undefined as unknown as FreshResources,
    ctx: undefined as unknown as Ctx,
    app: undefined as unknown as ReturnType<typeof createApp>,
    server: undefined as unknown as Server,
    url: "",
    adminToken: "",
    fleet: [] as InProcessWorker[],
    /** The test's own calls go to the app in-process: they reach it while the workers cannot. */
    call: async <T>(method: string, path: string, body?: unknown): Promise<T> => {
      const res = await h.app.request(`/api/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${h.adminToken}`, "content-type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    },
    /** A worker polling the file's queues (through `sqsEndpoint`, e.g. a proxy that can be cut). */
    startWorker: (
      workerName: string,
      {
        agents = { stub: stubExecutor },
        sqsEndpoint = inject("sqsEndpoint"),
      }: { agents?: Partial<Record<Agent, Executor>>; sqsEndpoint?: string } = {},
    ) => {
      const lines: { at: number; line: string }[] = [];
      const worker = new AgentWorker({
        api: new ApiClient(h.url, ENROLMENT),
        realtime: noRealtime,
        poller: createPoller(sqsQueue(sqsClient(awsClientConfig(sqsEndpoint)), h.resources.queueUrls), {
          waitSeconds: 1,
          visibilitySeconds: 30,
        }),
        agents,
        // These agents never check a repository out: the folder stays empty.
        workspaces: new Workspaces({ cacheDir: join(tmpdir(), `agentvine-${name}-${workerName}`) }),
        protection: noTaskProtection,
        identity: { name: workerName },
        heartbeatIntervalMs: 1_000,
        stopGraceMs: 300,
        parkAfterMs: 0,
        blob: h.ctx.blob,
        backoff: createBackoff({ baseMs: 50, capMs: 500 }),
        log: (line) => lines.push({ at: Date.now(), line }),
      });
      const entry: InProcessWorker = { worker, lines, ended: false };
      void worker.run().finally(() => {
        entry.ended = true;
      });
      h.fleet.push(entry);
      return entry;
    },
  };

  beforeAll(async () => {
    h.resources = await freshResources(name);
    h.ctx = {
      db: createDb(h.resources.dynamo, h.resources.tableName),
      queue: sqsQueue(h.resources.sqs, h.resources.queueUrls),
      push: recordingPush([]),
      scaler: memoryScaler(),
      blob: tempBlob(),
      clock: systemClock,
      config: defaultConfig(),
    };
    h.app = createApp(h.ctx, { enrolmentTokenHash: hashSecret(ENROLMENT), wsUrl: () => "ws://unused" });
    h.adminToken = (await Auth.issueToken(h.ctx, { name: "Ada admin", role: "admin" })).token;
    h.server = createServer(serve(getRequestListener(h.app.fetch)));
    h.url = `http://127.0.0.1:${await listen(h.server, 0)}`;
  });
  afterAll(async () => {
    await Promise.all(h.fleet.map((w) => w.worker.close()));
    h.server?.closeAllConnections();
    h.server?.close();
  });
  return h;
};
