import { describe, expect, it } from "vitest";
import { expectInvalid, runningTask, useApiHarness } from "../../../test/api.ts";

const Q = "/api/v1/queue";
const bytes = (s: string) => Buffer.byteLength(s, "utf8");

const REPORT = {
  costUsd: 0.0123,
  inputTokens: 1000,
  outputTokens: 234,
  turns: 3,
  durationMs: 4567,
  transcript: "assistant: I will add the file\ntool: Write notes.txt\n",
  branch: "agentvine/t-1",
  commitSha: "0123456789abcdef0123456789abcdef01234567",
  files: [
    { path: "notes.txt", added: 2, removed: 0 },
    { path: "src/app.ts", added: 5, removed: 1 },
  ],
  diff: "diff --git a/notes.txt b/notes.txt\n+hello\n+world\n",
};

describe("queue API: the execution report", () => {
  const h = useApiHarness("api-queue-report", { config: { maxTranscriptBytes: 200, maxDiffBytes: 300 } });

  const running = (title: string) => runningTask(h, { title });
  const executionOf = async (taskId: string) =>
    (await h.call("GET", `/api/v1/tasks/${taskId}/executions`, h.tokens.viewer)).body.items[0];
  const historyOf = async (taskId: string) =>
    (await h.call("GET", `/api/v1/tasks/${taskId}/history`, h.tokens.viewer)).body.items;

  it("complete with a report: the execution shows it; the timeline names cost and tokens", async () => {
    const { task, worker, workOrder } = await running("Reported");
    const res = await h.call("POST", `${Q}/complete`, worker.token, {
      workOrderId: workOrder.id,
      output: "Done",
      report: REPORT,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(await executionOf(task.id)).toMatchObject({
      status: "completed",
      output: "Done",
      ...REPORT,
      transcriptTruncated: false,
      diffTruncated: false,
      pushError: null,
    });
    const done = (await historyOf(task.id)).find((a: { type: string }) => a.type === "task.completed");
    expect(done.summary).toBe('"Reported" completed ($0.0123, 1,234 tokens)');
    // Executions are large now: a page holds at most 20.
    expectInvalid(
      await h.call("GET", `/api/v1/tasks/${task.id}/executions?limit=21`, h.tokens.viewer),
      "limit",
    );
  });

  it("fail with a report: a failed run's cost is kept, and the reason follows it", async () => {
    const { task, worker, workOrder } = await running("Over budget");
    const res = await h.call("POST", `${Q}/fail`, worker.token, {
      workOrderId: workOrder.id,
      reason: "budget reached",
      report: { costUsd: 1.5, inputTokens: 9000, outputTokens: 1000, turns: 12, pushError: "rejected" },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(await executionOf(task.id)).toMatchObject({
      status: "failed",
      costUsd: 1.5,
      inputTokens: 9000,
      turns: 12,
      pushError: "rejected",
      transcript: null,
      files: null,
      diff: null,
    });
    const failed = (await historyOf(task.id)).find((a: { type: string }) => a.type === "task.failed");
    expect(failed.summary).toBe('"Over budget" failed ($1.50, 10,000 tokens): budget reached');
  });

  it("without a report the execution has none and the timeline says nothing of cost", async () => {
    const { task, worker, workOrder } = await running("Stubbed");
    await h.call("POST", `${Q}/complete`, worker.token, { workOrderId: workOrder.id, output: "ok" });
    expect(await executionOf(task.id)).toMatchObject({
      costUsd: null,
      inputTokens: null,
      transcript: null,
      transcriptTruncated: null,
      branch: null,
      files: null,
      diff: null,
      diffTruncated: null,
    });
    const done = (await historyOf(task.id)).find((a: { type: string }) => a.type === "task.completed");
    expect(done.summary).toBe('"Stubbed" completed');
  });

  it("the server bounds transcript and diff whatever the worker sent, and flags the cut", async () => {
    const { task, worker, workOrder } = await running("Long run");
    const diff = Array.from({ length: 40 }, (_, i) => `+line ${i} of the change`).join("\n");
    await h.call("POST", `${Q}/complete`, worker.token, {
      workOrderId: workOrder.id,
      report: { transcript: "said ✓ ".repeat(500), diff, files: [{ path: "a.txt", added: 40, removed: 0 }] },
    });
    const e = await executionOf(task.id);
    expect(e.transcriptTruncated).toBe(true);
    expect(bytes(e.transcript)).toBeLessThanOrEqual(200);
    expect(e.transcript.endsWith("[transcript truncated]")).toBe(true);
    expect(e.diffTruncated).toBe(true);
    expect(bytes(e.diff)).toBeLessThanOrEqual(300);
    // Cut at a whole line: what is kept is the diff's beginning, line for line.
    expect(diff.startsWith(e.diff)).toBe(true);
    expect(e.diff.endsWith("\n")).toBe(true);

    // A flag the worker set (it cut already) stays set though the text fits.
    const second = await running("Cut by the worker");
    await h.call("POST", `${Q}/complete`, second.worker.token, {
      workOrderId: second.workOrder.id,
      report: { diff: "+short\n", diffTruncated: true },
    });
    expect(await executionOf(second.task.id)).toMatchObject({ diff: "+short\n", diffTruncated: true });
  });

  it("400 naming the bad report field; the work order stays claimed", async () => {
    const { task, worker, workOrder } = await running("Bad report");
    const cases: [Record<string, unknown>, string][] = [
      [{ costUsd: -1 }, "report.costUsd"],
      [{ inputTokens: 1.5 }, "report.inputTokens"],
      [{ turns: "3" }, "report.turns"],
      [{ commitSha: "not-a-sha" }, "report.commitSha"],
      [{ files: [{ path: "a", added: -1, removed: 0 }] }, "report.files[0].added"],
      [{ files: [{ path: "", added: 1, removed: 0 }] }, "report.files[0].path"],
      [{ diffTruncated: "yes" }, "report.diffTruncated"],
    ];
    for (const [report, field] of cases) {
      expectInvalid(
        await h.call("POST", `${Q}/complete`, worker.token, { workOrderId: workOrder.id, report }),
        field,
      );
    }
    expectInvalid(
      await h.call("POST", `${Q}/fail`, worker.token, {
        workOrderId: workOrder.id,
        reason: "x",
        report: { outputTokens: -5 },
      }),
      "report.outputTokens",
    );
    const wo = await h.call("GET", `/api/v1/tasks/${task.id}`, h.tokens.viewer);
    expect(wo.body.status).toBe("in_progress");
  });
});
