import { describe, expect, it } from "vitest";
import { operator, type TestCtx, testCtx, workerActor } from "../../../test/context.ts";
import * as Execution from "../execution/service.ts";
import * as Session from "../session/service.ts";
import { WorkOrder } from "../work-order/index.ts";
import * as Worker from "../worker/service.ts";
import { withAfterSend, workOrdersOf } from "./fixtures.ts";
import { CreateTaskInput, ListTasksQuery, toTaskInfo, UpdateTaskInput } from "./schema.ts";
import * as Task from "./service.ts";

const issuePath = (input: unknown) => {
  const result = CreateTaskInput.safeParse(input);
  return result.success ? null : result.error.issues.map((i) => i.path.join("."));
};

describe("task", () => {
  it("validates create input, naming the field", () => {
    expect(issuePath({ title: "ok" })).toBeNull();
    expect(issuePath({ title: "" })).toEqual(["title"]);
    expect(issuePath({ title: "   " })).toEqual(["title"]);
    expect(issuePath({ title: "x".repeat(201) })).toEqual(["title"]);
    expect(issuePath({ title: "t", repositoryUrl: "not a url" })).toEqual(["repositoryUrl"]);
    expect(issuePath({ title: "t", repositoryUrl: "ftp://example.com/repo.git" })).toEqual(["repositoryUrl"]);
    expect(issuePath({ title: "t", repositoryUrl: "https://github.com/acme/app.git" })).toBeNull();
    expect(issuePath({ title: "t", repositoryUrl: "ssh://git@github.com/acme/app.git" })).toBeNull();
    for (const good of ["git@github.com:acme/app.git", "file:///srv/git/app.git", "http://git.local/app"])
      expect(issuePath({ title: "t", repositoryUrl: good }), good).toBeNull();
    for (const bad of [
      "https://user:secret@github.com/acme/app.git",
      "https://ghp_token@github.com/acme/app.git",
      "ssh://git:secret@github.com/acme/app.git",
      "file://host/srv/app.git",
      "git@github.com:-upload-pack=evil",
      "javascript:alert(1)",
    ])
      expect(issuePath({ title: "t", repositoryUrl: bad }), bad).toEqual(["repositoryUrl"]);
    for (const bad of ["-", "a..b", "/lead", "trail/", "x.lock", "has space", "a@{b", "end.", "a//b"])
      expect(issuePath({ title: "t", branchName: bad }), bad).toEqual(["branchName"]);
    for (const good of ["main", "feature/login-fix", "release-1.2", "user/a_b"])
      expect(issuePath({ title: "t", branchName: good }), good).toBeNull();
    expect(issuePath({ title: "t", taskType: "chore" })).toEqual(["taskType"]);
    expect(issuePath({ title: "t", priority: "urgent" })).toEqual(["priority"]);
    const parsed = CreateTaskInput.parse({ title: "  padded  " });
    expect(parsed).toEqual({
      title: "padded",
      description: "",
      taskType: "feature",
      priority: "normal",
      permissionMode: "ask",
    });
  });

  it("a task stored before agent options existed reads as the stub's, asking for permissions", () => {
    const stored = {
      id: "t-old",
      title: "old",
      description: "",
      taskType: "feature",
      status: "completed",
      priority: "normal",
      createdBy: "Olivia",
      createdAt: "2026-01-01T00:00:00.000Z",
      updatedAt: "2026-01-01T00:00:00.000Z",
    } as const;
    expect(toTaskInfo(stored as Parameters<typeof toTaskInfo>[0])).toMatchObject({
      agent: "stub",
      permissionMode: "ask",
      model: null,
      maxTurns: null,
      maxBudgetUsd: null,
      repositoryUrl: null,
    });
  });

  it("create stores nothing when the input is invalid", async () => {
    const ctx = await testCtx("task-invalid");
    await expect(Task.create(ctx, { title: "" }, operator.name)).rejects.toThrow();
    await expect(Task.create(ctx, { title: "t", branchName: "a..b" }, operator.name)).rejects.toThrow();
    expect((await Task.list(ctx, ListTasksQuery.parse({}))).items).toEqual([]);
    expect((await ctx.queue.depth()).normal.visible).toBe(0);
  });

  it("create stores the task queued with its work order on the queue of its priority", async () => {
    const ctx = await testCtx("task-create");
    const task = await Task.create(
      ctx,
      {
        title: "Add docs",
        taskType: "docs",
        priority: "high",
        repositoryUrl: "https://github.com/acme/app",
        branchName: "docs/intro",
      },
      operator.name,
    );
    expect(task).toMatchObject({
      title: "Add docs",
      taskType: "docs",
      priority: "high",
      status: "queued",
      createdBy: operator.name,
      repositoryUrl: "https://github.com/acme/app",
      branchName: "docs/intro",
      completedAt: null,
      workerId: null,
    });
    expect(await Task.get(ctx, task.id)).toEqual(task);
    const [wo, ...more] = await workOrdersOf(ctx, task.id);
    expect(more).toEqual([]);
    expect(wo).toMatchObject({
      id: task.currentWorkOrderId,
      status: "queued",
      priority: "high",
      retryCount: 0,
    });
    const depth = await ctx.queue.depth();
    expect([depth.high.visible, depth.normal.visible, depth.low.visible]).toEqual([1, 0, 0]);
    await expect(Task.get(ctx, "nope")).rejects.toMatchObject({ kind: "not_found", code: "task.not_found" });
  });

  it("a worker fast enough to finish before create returns still completes the task", async () => {
    const base = await testCtx("task-create-race");
    const w = await workerActor(base);
    let claimed: string | undefined;
    const ctx: TestCtx = {
      ...base,
      queue: withAfterSend(base.queue, async () => {
        const wo = await WorkOrder.claimNext(base, w.principalId);
        claimed = wo?.id;
        if (wo) await WorkOrder.complete(base, w.principalId, { workOrderId: wo.id });
      }),
    };
    const task = await Task.create(ctx, { title: "quick" }, operator.name);
    expect(claimed).toBe(task.currentWorkOrderId);
    const t = await Task.get(ctx, task.id);
    expect(t.status).toBe("completed");
    expect(t.currentWorkOrderId).toBe(claimed);
  });

  it("lists newest first, filtered by status, type and priority, with cursor pagination", async () => {
    const ctx = await testCtx("task-list");
    const specs = [
      { title: "t0", taskType: "feature", priority: "high" },
      { title: "t1", taskType: "bugfix", priority: "normal" },
      { title: "t2", taskType: "feature", priority: "low" },
      { title: "t3", taskType: "docs", priority: "normal" },
      { title: "t4", taskType: "feature", priority: "normal" },
      { title: "t5", taskType: "bugfix", priority: "high" },
    ] as const;
    const made = [];
    for (const spec of specs) {
      made.push(await Task.create(ctx, spec, operator.name));
      ctx.clock.advance(1000);
    }
    // Cancel t4 so that statuses differ.
    await Task.update(ctx, made[4]!.id, { status: "cancelled" }, operator.name);

    const titles = async (q: Record<string, unknown>) =>
      (await Task.list(ctx, ListTasksQuery.parse(q))).items.map((t) => t.title);
    expect(await titles({})).toEqual(["t5", "t4", "t3", "t2", "t1", "t0"]);
    expect(await titles({ status: "queued" })).toEqual(["t5", "t3", "t2", "t1", "t0"]);
    expect(await titles({ status: "cancelled" })).toEqual(["t4"]);
    expect(await titles({ taskType: "feature" })).toEqual(["t4", "t2", "t0"]);
    expect(await titles({ priority: "normal" })).toEqual(["t4", "t3", "t1"]);
    expect(await titles({ status: "queued", taskType: "feature" })).toEqual(["t2", "t0"]);
    expect(await titles({ status: "queued", priority: "high" })).toEqual(["t5", "t0"]);
    expect(await titles({ taskType: "bugfix", priority: "high" })).toEqual(["t5"]);
    expect(await titles({ status: "completed" })).toEqual([]);

    // Pages of 2 follow each other without gaps or repeats, and the last has no cursor.
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await Task.list(ctx, ListTasksQuery.parse({ limit: 2, ...(cursor ? { cursor } : {}) }));
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((t) => t.title));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor && pages < 10);
    expect(seen).toEqual(["t5", "t4", "t3", "t2", "t1", "t0"]);

    // A filtered listing pages the same way.
    const filtered: string[] = [];
    cursor = undefined;
    pages = 0;
    do {
      const page = await Task.list(
        ctx,
        ListTasksQuery.parse({ status: "queued", limit: 2, ...(cursor ? { cursor } : {}) }),
      );
      filtered.push(...page.items.map((t) => t.title));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor && pages < 10);
    expect(filtered).toEqual(["t5", "t3", "t2", "t1", "t0"]);
  });

  it("cancels a queued task: its work order fails, and it is never claimed", async () => {
    const ctx = await testCtx("task-cancel");
    const w = await workerActor(ctx);
    const task = await Task.create(ctx, { title: "t" }, operator.name);
    const cancelled = await Task.update(ctx, task.id, { status: "cancelled" }, operator.name);
    expect(cancelled.status).toBe("cancelled");
    expect(cancelled.completedAt).not.toBeNull();
    expect(cancelled.failureReason).toMatch(/Cancelled by Olivia/);
    const wo = await WorkOrder.load(ctx, task.currentWorkOrderId!);
    expect(wo.status).toBe("failed");
    expect(await WorkOrder.claimNext(ctx, w.principalId)).toBeNull();
    // The message was dropped as a duplicate of finished work.
    expect((await ctx.queue.depth()).normal).toEqual({ visible: 0, inFlight: 0, dead: 0 });
    expect((await Task.get(ctx, task.id)).status).toBe("cancelled");
  });

  it("cancelling a running task ends its work as cancelled and terminates its agent session", async () => {
    const ctx = await testCtx("task-cancel-running");
    const w = await workerActor(ctx);
    const task = await Task.create(ctx, { title: "original" }, operator.name);
    await WorkOrder.claimNext(ctx, w.principalId);
    const session = await Session.create(ctx, w, {
      sessionId: "agent-1",
      workerId: w.principalId,
      taskId: task.id,
    });

    const cancelled = await Task.update(
      ctx,
      task.id,
      { title: "renamed", status: "cancelled" },
      operator.name,
    );
    expect(cancelled).toMatchObject({
      status: "cancelled",
      title: "renamed",
      failureReason: "Cancelled by Olivia",
    });
    expect((await WorkOrder.load(ctx, task.currentWorkOrderId!)).status).toBe("failed");
    // Its worker is told through the session, and is free for other work.
    expect(await Session.get(ctx, session.id)).toMatchObject({
      status: "terminated",
      terminationReason: "Cancelled by Olivia",
    });
    const [execution] = (await Execution.listByTask(ctx, task.id, { limit: 10 })).items;
    expect(execution?.status).toBe("failed");
    expect((await Worker.get(ctx, w.principalId)).status).toBe("idle");
  });

  it("a claimed task without a session yet is cancelled too; a finished one is a conflict and changes nothing", async () => {
    const ctx = await testCtx("task-cancel-claimed");
    const w = await workerActor(ctx);
    const task = await Task.create(ctx, { title: "original" }, operator.name);
    await WorkOrder.claimNext(ctx, w.principalId);
    expect((await Task.update(ctx, task.id, { status: "cancelled" }, operator.name)).status).toBe(
      "cancelled",
    );
    expect((await WorkOrder.load(ctx, task.currentWorkOrderId!)).status).toBe("failed");

    await expect(
      Task.update(ctx, task.id, { title: "renamed", status: "cancelled" }, operator.name),
    ).rejects.toMatchObject({
      kind: "conflict",
      code: "task.invalid_state",
      details: { status: "cancelled" },
    });
    expect((await Task.get(ctx, task.id)).title).toBe("original");
  });

  it("edits title and description", async () => {
    const ctx = await testCtx("task-edit");
    const task = await Task.create(ctx, { title: "a" }, operator.name);
    ctx.clock.advance(5000);
    const edited = await Task.update(ctx, task.id, { title: "b", description: "more" }, operator.name);
    expect(edited).toMatchObject({ title: "b", description: "more", status: "queued" });
    expect(edited.updatedAt > task.updatedAt).toBe(true);
    expect(UpdateTaskInput.safeParse({}).success).toBe(false);
    expect(UpdateTaskInput.safeParse({ status: "completed" }).success).toBe(false);
    expect(UpdateTaskInput.safeParse({ priority: "high" }).success).toBe(false);
  });
});
