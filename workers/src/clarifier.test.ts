import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ApiGatewayManagementApiClient,
  DeleteConnectionCommand,
} from "@aws-sdk/client-apigatewaymanagementapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRuntime } from "../../test/runtime.ts";
import { ApiClient } from "./api-client.ts";
import { askApproval, askHuman } from "./clarifier.ts";
import { RealtimeClient } from "./realtime-client.ts";

/**
 * The worker's side of the human loop against the real runtime: an answer pushed at once, and
 * an answer given while the worker's socket is down, found by the resync after it reconnects.
 */
describe("askHuman and askApproval", () => {
  let runtime: Awaited<ReturnType<typeof startRuntime>>;
  let dataDir: string;
  let api: ApiClient;
  let realtime: RealtimeClient;
  let taskId = "";
  let workerId = "";

  const admin = async <T>(method: string, path: string, body?: unknown) => {
    const res = await fetch(new URL(`/api/v1${path}`, runtime.url), {
      method,
      headers: { authorization: `Bearer ${runtime.adminToken}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return (await res.json()) as T;
  };
  const answer = async (requestId: string, message: string) =>
    admin("POST", "/chat/messages", {
      conversationId: taskId,
      message,
      messageType: "response",
      parentMessageId: requestId,
    });
  const pendingId = async () =>
    (await admin<{ items: { requestId: string }[] }>("GET", "/chat/pending")).items[0]?.requestId ?? "";

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "agentvine-clarifier-"));
    runtime = await startRuntime(
      { port: 0, host: "127.0.0.1", workers: 0, dataDir, adminToken: "clarifier-admin-token-01" },
      () => {},
    );
    api = new ApiClient(runtime.url.replace(/\/$/, ""), runtime.adminToken);
    workerId = (await api.register({ name: "asker" })).id;
    taskId = (await admin<{ id: string }>("POST", "/tasks", { title: "Needs a decision" })).id;
    expect((await api.claimNext(workerId))?.taskId).toBe(taskId);
    realtime = new RealtimeClient(api);
    await realtime.connect();
  }, 60_000);
  afterAll(async () => {
    realtime?.close();
    await runtime?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("resolves with the answer pushed over the socket", async () => {
    const asking = askHuman(api, realtime, taskId, "Which library?", new AbortController().signal);
    await expect.poll(pendingId, { timeout: 15_000 }).not.toBe("");
    await answer(await pendingId(), "zod");
    await expect(asking).resolves.toBe("zod");
  });

  it("finds an answer given while its socket was down, once it reconnects", async () => {
    const asking = askHuman(api, realtime, taskId, "Which database?", new AbortController().signal);
    await expect.poll(pendingId, { timeout: 15_000 }).not.toBe("");
    const requestId = await pendingId();
    const { data } = await runtime.ctx.db.connection.query.byPrincipal({ principalId: workerId }).go();
    const management = new ApiGatewayManagementApiClient({
      endpoint: runtime.url.replace(/\/$/, ""),
      region: "us-east-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    // Drop the worker's socket server-side, as API Gateway does at its 2-hour limit.
    await management.send(new DeleteConnectionCommand({ ConnectionId: data[0]?.connectionId }));
    await answer(requestId, "DynamoDB");
    await expect(asking).resolves.toBe("DynamoDB");
  });

  it("asks for an approval and resolves with the person's decision, a denial with their reason", async () => {
    const request = { tool: "Bash", input: '{"command":"npm test"}', message: "Bash: npm test" };
    const allowing = askApproval(api, realtime, taskId, request, new AbortController().signal);
    await expect.poll(pendingId, { timeout: 15_000 }).not.toBe("");
    const pending = await admin<{ items: { requestId: string; kind: string; tool: string }[] }>(
      "GET",
      "/chat/pending",
    );
    expect(pending.items[0]).toMatchObject({ kind: "approval", tool: "Bash" });
    await admin("POST", "/chat/messages", {
      conversationId: taskId,
      messageType: "response",
      parentMessageId: await pendingId(),
      decision: "allow",
    });
    await expect(allowing).resolves.toEqual({ allow: true });

    const denying = askApproval(api, realtime, taskId, request, new AbortController().signal);
    await expect.poll(pendingId, { timeout: 15_000 }).not.toBe("");
    await admin("POST", "/chat/messages", {
      conversationId: taskId,
      messageType: "response",
      parentMessageId: await pendingId(),
      decision: "deny",
      message: "Not now",
    });
    await expect(denying).resolves.toEqual({ allow: false, message: "Not now" });
  });

  it("gives up when its signal is aborted (session terminated)", async () => {
    const abort = new AbortController();
    const asking = askHuman(api, realtime, taskId, "Still there?", abort.signal);
    await expect.poll(pendingId, { timeout: 15_000 }).not.toBe("");
    abort.abort(new Error("Session terminated"));
    await expect(asking).rejects.toThrow("Session terminated");
  });
});
