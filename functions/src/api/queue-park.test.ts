import { describe, expect, it } from "vitest";
import { expectError, expectInvalid, runningTask, useApiHarness } from "../../../test/api.ts";

const Q = "/api/v1/queue";
const M = "/api/v1/chat/messages";

describe("park API", () => {
  const h = useApiHarness("api-park");

  /** A claimed task whose worker opened its session and asked; its snapshot stored. */
  const asking = async () => {
    const claimed = await runningTask(h, { title: "Needs a person" });
    const { task, worker, workOrder } = claimed;
    const ask = await h.call("POST", M, worker.token, {
      conversationId: task.id,
      messageType: "request",
      message: "Postgres or SQLite?",
    });
    expect(ask.status).toBe(201);
    const snapshotKey = `snapshots/${task.id}/${workOrder.id}`;
    await h.ctx.blob.put(snapshotKey, new Uint8Array([1, 2, 3]));
    const body = { workOrderId: workOrder.id, requestId: ask.body.id, snapshotKey, snapshotBytes: 3 };
    return { ...claimed, requestId: ask.body.id as string, snapshotKey, body };
  };

  const answer = (taskId: string, requestId: string) =>
    h.call("POST", M, h.tokens.operator, {
      conversationId: taskId,
      messageType: "response",
      parentMessageId: requestId,
      message: "Postgres",
    });

  it("parks, then the answer queues a resume on high that the next claim carries", async () => {
    const run = await asking();
    const parked = await h.call("POST", `${Q}/park`, run.worker.token, run.body);
    expect(parked.status, JSON.stringify(parked.body)).toBe(200);
    expect(parked.body).toMatchObject({
      resumed: false,
      workOrder: { id: run.workOrder.id, status: "parked", park: { requestId: run.requestId } },
    });
    const waiting = await h.call("GET", `/api/v1/tasks/${run.task.id}`, h.tokens.viewer);
    expect(waiting.body).toMatchObject({ status: "waiting", workerId: null });
    const session = await h.call("GET", `/api/v1/sessions/agent-${run.task.id}`, h.tokens.viewer);
    expect(session.body).toMatchObject({ status: "parked", parkedAt: expect.any(String) });

    expect((await answer(run.task.id, run.requestId)).status).toBe(201);
    const queued = await h.call("GET", `/api/v1/tasks/${run.task.id}`, h.tokens.viewer);
    expect(queued.body.status).toBe("queued");

    const next = await h.registerWorker("next");
    const claim = await h.call("POST", `${Q}/claim`, next.token, { workerId: next.worker.id });
    expect(claim.status).toBe(200);
    expect(claim.body.workOrder).toMatchObject({
      priority: "high",
      retryCount: 0,
      park: null,
      resume: {
        fromWorkOrderId: run.workOrder.id,
        sessionId: `agent-${run.task.id}`,
        snapshotKey: run.snapshotKey,
        requestId: run.requestId,
      },
    });
    expect(claim.body.task.status).toBe("in_progress");
    const reopened = await h.call("POST", "/api/v1/sessions", next.token, {
      sessionId: `agent-${run.task.id}`,
      workerId: next.worker.id,
      taskId: run.task.id,
    });
    expect(reopened.status, JSON.stringify(reopened.body)).toBe(201);
    expect(reopened.body).toMatchObject({ status: "active", workerId: next.worker.id, parkedAt: null });
    const executions = await h.call("GET", `/api/v1/tasks/${run.task.id}/executions`, h.tokens.viewer);
    const [latest, first] = executions.body.items;
    expect(latest).toMatchObject({ status: "running", resumedFrom: first.id });
    expect(first.status).toBe("parked");
  });

  it("an answer given before the park: resumed at once", async () => {
    const run = await asking();
    expect((await answer(run.task.id, run.requestId)).status).toBe(201);
    const parked = await h.call("POST", `${Q}/park`, run.worker.token, run.body);
    expect(parked.status).toBe(200);
    expect(parked.body.resumed).toBe(true);
    expect((await h.call("GET", `/api/v1/tasks/${run.task.id}`, h.tokens.viewer)).body.status).toBe("queued");
  });

  it("409 for a work order the worker does not hold, 400 naming a bad field, 403 for people", async () => {
    const run = await asking();
    const stranger = await h.registerWorker("stranger");
    expectError(await h.call("POST", `${Q}/park`, stranger.token, run.body), 409, "workOrder.invalid_state");
    expectError(await h.call("POST", `${Q}/park`, h.tokens.admin, run.body), 403, "auth.forbidden");
    expectInvalid(
      await h.call("POST", `${Q}/park`, run.worker.token, { ...run.body, requestId: "no-such-request" }),
      "requestId",
    );
    for (const snapshotKey of [`snapshots/other-task/${run.workOrder.id}`, "elsewhere/x", "snapshots/a/.."]) {
      expectInvalid(
        await h.call("POST", `${Q}/park`, run.worker.token, { ...run.body, snapshotKey }),
        "snapshotKey",
      );
    }
    expectInvalid(
      await h.call("POST", `${Q}/park`, run.worker.token, { ...run.body, snapshotBytes: -1 }),
      "snapshotBytes",
    );
    // The refusals parked nothing: the task is still in progress.
    expect((await h.call("GET", `/api/v1/tasks/${run.task.id}`, h.tokens.viewer)).body.status).toBe(
      "in_progress",
    );
  });

  it("a waiting task can be cancelled; its snapshot goes", async () => {
    const run = await asking();
    expect((await h.call("POST", `${Q}/park`, run.worker.token, run.body)).status).toBe(200);
    const cancelled = await h.call("PATCH", `/api/v1/tasks/${run.task.id}`, h.tokens.operator, {
      status: "cancelled",
    });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    expect(cancelled.body.status).toBe("cancelled");
    expect(await h.ctx.blob.get(run.snapshotKey)).toBeNull();
  });
});
