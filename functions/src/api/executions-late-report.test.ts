import { describe, expect, it } from "vitest";
import { expectError, expectInvalid, runningTask, useApiHarness } from "../../../test/api.ts";

const USED = { inputTokens: 1200, outputTokens: 80, turns: 2, transcript: "assistant: looking\n" };

describe("executions API: the report of a run ended from outside", () => {
  const h = useApiHarness("api-late-report", { config: { maxTranscriptBytes: 200 } });

  const running = async (title: string) => {
    const run = await runningTask(h, { title });
    return { ...run, executionId: run.session.executionId ?? "", sessionId: run.session.id };
  };
  const executionOf = async (taskId: string) =>
    (await h.call("GET", `/api/v1/tasks/${taskId}/executions`, h.tokens.viewer)).body.items[0];
  const report = (id: string, token: string, body: unknown) =>
    h.call("POST", `/api/v1/executions/${id}/report`, token, body);

  it("a run whose session a person terminated: its worker's report is kept, once", async () => {
    const { task, worker, executionId, sessionId } = await running("Terminated");
    const ended = await h.call("DELETE", `/api/v1/sessions/${sessionId}`, h.tokens.operator, {
      reason: "wrong approach",
    });
    expect(ended.status).toBe(200);
    expect(await executionOf(task.id)).toMatchObject({ status: "failed", turns: null, inputTokens: null });

    const res = await report(executionId, worker.token, USED);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ id: executionId, status: "failed", ...USED });
    // The ending core wrote stays: only the report's fields are added.
    expect(await executionOf(task.id)).toMatchObject({ status: "failed", ...USED, costUsd: null });

    expectError(await report(executionId, worker.token, { turns: 9 }), 409, "execution.reported");
    expect((await executionOf(task.id)).turns).toBe(2);
  });

  it("a run released as its worker stopped reports after the release; long text is cut", async () => {
    const { task, worker, workOrder, executionId } = await running("Released");
    const released = await h.call("POST", "/api/v1/queue/release", worker.token, {
      workOrderId: workOrder.id,
    });
    expect(released.status).toBe(200);
    const res = await report(executionId, worker.token, { turns: 1, transcript: "said ✓ ".repeat(100) });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const e = await executionOf(task.id);
    expect(e).toMatchObject({ status: "failed", turns: 1, transcriptTruncated: true });
    expect(Buffer.byteLength(e.transcript)).toBeLessThanOrEqual(200);
  });

  it("refused, with nothing written: a running execution, another's, a person, an unknown id, a bad field", async () => {
    const { task, worker, executionId } = await running("Still running");
    const other = await h.registerWorker("other");

    expectError(await report(executionId, worker.token, USED), 409, "execution.running");
    expectError(await report(executionId, other.token, USED), 403, "execution.not_yours");
    expectError(await report(executionId, h.tokens.operator, USED), 403);
    expectError(await report("ex_unknown", worker.token, USED), 404);
    expectInvalid(await report(executionId, worker.token, { turns: -1 }), "turns");
    expectInvalid(await report(executionId, worker.token, { commitSha: "nope" }), "commitSha");

    expect(await executionOf(task.id)).toMatchObject({ status: "running", turns: null, transcript: null });
  });
});
