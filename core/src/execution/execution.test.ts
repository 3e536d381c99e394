import { describe, expect, it } from "vitest";
import { testCtx } from "../../../test/context.ts";
import { claimedByA, holding, openSession } from "../../../test/work-order-fixtures.ts";
import * as Session from "../session/service.ts";
import * as Task from "../task/service.ts";
import { WorkOrder } from "../work-order/index.ts";
import * as Execution from "./service.ts";

const bytes = (s: string) => Buffer.byteLength(s, "utf8");
const MARKER = "\n[output truncated]";

describe("execution output bound", () => {
  it("keeps output within the limit untouched", () => {
    expect(Execution.bound("hello", 5)).toEqual({ output: "hello", truncated: false });
    expect(Execution.bound("", 100)).toEqual({ output: "", truncated: false });
    expect(Execution.bound("é".repeat(50), 100)).toEqual({ output: "é".repeat(50), truncated: false });
  });

  it("cuts at maxBytes and marks the cut", () => {
    const { output, truncated } = Execution.bound("x".repeat(1000), 100);
    expect(truncated).toBe(true);
    expect(bytes(output)).toBe(100);
    expect(output.endsWith(MARKER)).toBe(true);
    expect(output).toBe("x".repeat(100 - bytes(MARKER)) + MARKER);
  });

  it("never splits a multi-byte character", () => {
    for (const ch of ["é", "€", "😀"]) {
      for (let max = 40; max < 48; max++) {
        const { output, truncated } = Execution.bound(ch.repeat(100), max);
        expect(truncated).toBe(true);
        expect(bytes(output)).toBeLessThanOrEqual(max);
        expect(output).not.toContain("\uFFFD");
        const kept = output.slice(0, -MARKER.length);
        expect(kept).toBe(ch.repeat(kept.length / ch.length));
        // As much as fits: one more character would not have.
        expect(bytes(kept) + bytes(ch) + bytes(MARKER)).toBeGreaterThan(max);
      }
    }
  });

  it("stays within a limit smaller than its marker", () => {
    const { output, truncated } = Execution.bound("x".repeat(100), 10);
    expect(truncated).toBe(true);
    expect(bytes(output)).toBeLessThanOrEqual(10);
  });

  it("a 200 KB output is stored truncated, far below DynamoDB's 400 KB item limit", async () => {
    const ctx = await testCtx("execution-bound");
    const { worker, task, wo } = await holding(ctx);
    const session = await openSession(ctx, worker, task.id, "agent-noisy");
    const huge = "log line ✓\n".repeat(20_000); // about 260 KB of UTF-8
    expect(bytes(huge)).toBeGreaterThan(200 * 1024);
    await WorkOrder.complete(ctx, worker.principalId, { workOrderId: wo.id, output: huge });

    const stored = (await ctx.db.execution.get({ id: session.executionId! }).go()).data!;
    expect(stored.status).toBe("completed");
    expect(stored.outputTruncated).toBe(true);
    expect(bytes(stored.output)).toBeLessThanOrEqual(ctx.config.maxOutputBytes);
    expect(huge.startsWith(stored.output.slice(0, -MARKER.length))).toBe(true);
    const raw = await ctx.db.execution.get({ id: stored.id }).go({ data: "raw" });
    expect(bytes(JSON.stringify(raw.data))).toBeLessThan(400 * 1024);

    const listed = await Execution.listByTask(ctx, task.id, { limit: 10 });
    expect(listed.items.map((e) => e.id)).toEqual([stored.id]);
    expect((await Task.get(ctx, task.id)).status).toBe("completed");
  });

  it("the largest report there is, with the largest output, stays below the 400 KB item limit", async () => {
    const ctx = await testCtx("execution-report-bound");
    const { worker, wo } = await holding(ctx);
    const session = await openSession(ctx, worker, wo.taskId, "agent-huge");
    const big = 'ü"\n'.repeat(150_000);
    const files = Array.from({ length: 5000 }, (_, i) => ({
      path: `${"p".repeat(200)}/${i}`,
      added: i,
      removed: i,
    }));
    await WorkOrder.complete(ctx, worker.principalId, {
      workOrderId: wo.id,
      output: big,
      report: {
        transcript: big,
        diff: big,
        files,
        pushError: big,
        costUsd: 1,
        inputTokens: 1,
        outputTokens: 1,
      },
    });
    const raw = await ctx.db.execution.get({ id: session.executionId! }).go({ data: "raw" });
    expect(bytes(JSON.stringify(raw.data))).toBeLessThan(400 * 1024);
    const stored = (await ctx.db.execution.get({ id: session.executionId! }).go()).data!;
    expect(stored).toMatchObject({ outputTruncated: true, transcriptTruncated: true, diffTruncated: true });
    expect(stored.files?.length).toBeLessThan(files.length);
  });

  it("a failed execution keeps no output unless given; a small one is stored as is", async () => {
    const ctx = await testCtx("execution-small");
    const { worker, task, wo } = await holding(ctx);
    const session = await openSession(ctx, worker, task.id, "agent-small");
    await WorkOrder.fail(ctx, worker.principalId, { workOrderId: wo.id, reason: "tests red" });
    const stored = (await ctx.db.execution.get({ id: session.executionId! }).go()).data!;
    expect(stored).toMatchObject({ status: "failed", output: "", outputTruncated: false });
    expect(stored.completedAt).toBeDefined();
  });

  it("progress reports: by the running execution's own worker; they keep its session alive", async () => {
    const ctx = await testCtx("execution-report");
    const { a: worker, b: other, task, wo } = await claimedByA(ctx);
    const session = await openSession(ctx, worker, task.id, "agent-progress");
    const id = session.executionId!;
    ctx.clock.advance(20 * 60_000);
    const reported = await Execution.reportProgress(ctx, worker.principalId, id, {
      progress: 40,
      step: "Running tests",
    });
    expect(reported).toMatchObject({ progress: 40, step: "Running tests", status: "running" });
    expect((await Session.get(ctx, session.id)).lastActivityAt).toBe(new Date(ctx.clock.now()).toISOString());
    ctx.clock.advance(20 * 60_000);
    expect(await Session.reap(ctx)).toEqual([]);

    await expect(
      Execution.reportProgress(ctx, other.principalId, id, { progress: 50 }),
    ).rejects.toMatchObject({
      kind: "forbidden",
    });
    await expect(
      Execution.reportProgress(ctx, worker.principalId, "nope", { progress: 50 }),
    ).rejects.toMatchObject({
      kind: "not_found",
    });
    await WorkOrder.complete(ctx, worker.principalId, { workOrderId: wo.id });
    await expect(
      Execution.reportProgress(ctx, worker.principalId, id, { progress: 60 }),
    ).rejects.toMatchObject({
      kind: "conflict",
    });
    expect((await ctx.db.execution.get({ id }).go()).data).toMatchObject({
      status: "completed",
      progress: 100,
    });
  });

  it("a progress report makes an idle session active again, and leaves a terminated one so", async () => {
    const ctx = await testCtx("execution-report-idle");
    const { worker, task } = await holding(ctx);
    const session = await openSession(ctx, worker, task.id, "agent-idle");
    const id = session.executionId!;
    await ctx.db.session.patch({ id: session.id }).set({ status: "idle" }).composite(session).go();
    ctx.clock.advance(60_000);
    await Execution.reportProgress(ctx, worker.principalId, id, { progress: 10 });
    expect(await Session.get(ctx, session.id)).toMatchObject({
      status: "active",
      lastActivityAt: new Date(ctx.clock.now()).toISOString(),
    });

    await ctx.db.session.patch({ id: session.id }).set({ status: "terminated" }).composite(session).go();
    ctx.clock.advance(60_000);
    await Execution.reportProgress(ctx, worker.principalId, id, { progress: 20 });
    expect(await Session.get(ctx, session.id)).toMatchObject({
      status: "terminated",
      lastActivityAt: new Date(ctx.clock.now() - 60_000).toISOString(),
    });
  });
});
