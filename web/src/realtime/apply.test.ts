import type { PendingQuestion } from "@agentvine/core/chat/schema";
import type { Page } from "@agentvine/core/page";
import type { SessionInfo } from "@agentvine/core/session/schema";
import type { TaskInfo } from "@agentvine/core/task/schema";
import type { InfiniteData } from "@tanstack/react-query";
import { describe, expect, it, vi } from "vitest";
import { keys } from "../api/cache.ts";
import { execution, message, page, task } from "../test/fixtures.ts";
import { testQueryClient } from "../test/render.tsx";
import { applyEvent } from "./apply.ts";

const session = (over: Partial<SessionInfo>): SessionInfo => ({
  id: "s1",
  sessionId: "claude-1",
  workerId: "w1",
  taskId: "t1",
  executionId: null,
  parkedAt: null,
  resumedAt: null,
  status: "active",
  lastActivityAt: "2025-01-01T10:00:00.000Z",
  createdAt: "2025-01-01T10:00:00.000Z",
  updatedAt: "2025-01-01T10:00:00.000Z",
  terminatedAt: null,
  terminationReason: null,
  reapAt: "2025-01-01T10:30:00.000Z",
  ...over,
});

describe("applying realtime events to the caches", () => {
  it("execution.updated without its transcript or diff (too large for the socket) refetches an ended execution", async () => {
    const qc = testQueryClient();
    const running = execution({ id: "e1", taskId: "t1", status: "running" });
    qc.setQueryData(keys.executions("t1"), page([running]));
    const ended = { ...running, status: "completed" as const, completedAt: "2025-01-01T10:05:00.000Z" };
    applyEvent(qc, { type: "execution.updated", data: { ...ended, transcript: "all of it", diff: "+x" } });
    expect(qc.getQueryState(keys.executions("t1"))?.isInvalidated).toBe(false);
    applyEvent(qc, { type: "execution.updated", data: { ...ended, transcript: null, diff: null } });
    expect(qc.getQueryState(keys.executions("t1"))?.isInvalidated).toBe(true);
  });

  it("task.updated updates the task and every loaded list according to its filter", () => {
    const qc = testQueryClient();
    const t = task({ id: "t1", status: "queued" });
    const inf = (items: TaskInfo[]): InfiniteData<Page<TaskInfo>> => ({
      pages: [page(items)],
      pageParams: [undefined],
    });
    qc.setQueryData(keys.tasks({}), inf([t]));
    qc.setQueryData(keys.tasks({ status: "queued" }), inf([t]));
    qc.setQueryData(keys.tasks({ status: "completed" }), inf([]));
    const onQueueMayHaveChanged = vi.fn();
    applyEvent(qc, { type: "task.updated", data: { ...t, status: "completed" } }, { onQueueMayHaveChanged });
    const ids = (filter: object) =>
      qc.getQueryData<InfiniteData<Page<TaskInfo>>>(keys.tasks(filter))?.pages[0]?.items.map((x) => x.status);
    expect(ids({})).toEqual(["completed"]);
    expect(ids({ status: "queued" })).toEqual([]);
    expect(ids({ status: "completed" })).toEqual(["completed"]);
    expect(qc.getQueryData<TaskInfo>(keys.task("t1"))?.status).toBe("completed");
    expect(onQueueMayHaveChanged).toHaveBeenCalled();
  });

  it("a new question opens a pending entry (and is announced once); its answer closes it", () => {
    const qc = testQueryClient();
    qc.setQueryData(keys.pending, { items: [] as PendingQuestion[] });
    qc.setQueryData(keys.messages("t1"), []);
    const onQuestion = vi.fn();
    const q = message({ id: "q1", conversationId: "t1" });
    applyEvent(qc, { type: "chat.message", data: q }, { onQuestion });
    applyEvent(qc, { type: "chat.message", data: q }, { onQuestion });
    expect(onQuestion).toHaveBeenCalledTimes(1);
    expect(
      qc.getQueryData<{ items: PendingQuestion[] }>(keys.pending)?.items.map((p) => p.requestId),
    ).toEqual(["q1"]);
    applyEvent(qc, {
      type: "chat.message",
      data: { ...q, answeredAt: "2025-01-01T10:01:00.000Z", answerId: "a" },
    });
    expect(qc.getQueryData<{ items: PendingQuestion[] }>(keys.pending)?.items).toEqual([]);
  });

  it("session.updated moves a session between the status lists", () => {
    const qc = testQueryClient();
    qc.setQueryData(keys.sessions("active"), page([session({})]));
    qc.setQueryData(keys.sessions("terminated"), page([] as SessionInfo[]));
    applyEvent(qc, {
      type: "session.updated",
      data: session({ status: "terminated", terminationReason: "Idle for 30 min", reapAt: null }),
    });
    expect(qc.getQueryData<Page<SessionInfo>>(keys.sessions("active"))?.items).toEqual([]);
    expect(qc.getQueryData<Page<SessionInfo>>(keys.sessions("terminated"))?.items[0]?.terminationReason).toBe(
      "Idle for 30 min",
    );
  });

  it("queue.stats replaces the stats and feeds the chart; a pong changes nothing", () => {
    const qc = testQueryClient();
    const onQueueStats = vi.fn();
    const depth = { visible: 2, inFlight: 1, dead: 0 };
    const stats = { queues: { high: depth, normal: depth, low: depth }, totals: depth, claimed: 1, at: "x" };
    applyEvent(qc, { type: "queue.stats", data: stats }, { onQueueStats });
    expect(qc.getQueryData(keys.queue)).toEqual(stats);
    expect(onQueueStats).toHaveBeenCalledWith(stats);
    applyEvent(qc, { type: "pong", data: {} });
    expect(qc.getQueryData(keys.queue)).toEqual(stats);
    // Unknown event types never get this far: the socket drops them (client/src/socket.test.ts).
  });
});
