import { afterEach, beforeEach, vi } from "vitest";
import { page, task } from "./fixtures.ts";
import { mockApi } from "./render.tsx";

/** The moment every dashboard test is frozen at, so ages and countdowns read the same each run. */
export const NOW = Date.parse("2025-01-01T12:00:00.000Z");

/** Freezes Date (only Date: React Query's timers keep running) at NOW for the calling test file. */
export const freezeClockAtNow = () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(NOW);
  });
  afterEach(() => vi.useRealTimers());
};

const depth = (visible: number) => ({ visible, inFlight: 0, dead: 0 });

/**
 * One consistent world for the dashboard panels: vine-1 waits on "Fix login" (t1) in session
 * claude-abc with two questions open, vine-2 is idle, and the queue holds work and dead letters.
 * A test may replace routes of it (`overrides`).
 */
export const mockDashboardApi = (overrides: Parameters<typeof mockApi>[0] = {}) =>
  mockApi({
    "GET /workers": () => ({
      body: page([
        {
          id: "w1",
          name: "vine-1",
          status: "waiting",
          lastHeartbeatAt: "2025-01-01T11:59:50.000Z",
          currentTaskId: "t1",
          host: null,
        },
        {
          id: "w2",
          name: "vine-2",
          status: "idle",
          lastHeartbeatAt: "2025-01-01T11:59:58.000Z",
          currentTaskId: null,
        },
      ]),
    }),
    "GET /workers-scale": () => ({ body: { desired: 2, running: 2 } }),
    "GET /queue/status": () => ({
      body: {
        queues: { high: depth(3), normal: depth(1), low: depth(0) },
        totals: { visible: 4, inFlight: 1, dead: 2 },
        claimed: 1,
        at: "2025-01-01T12:00:00.000Z",
      },
    }),
    "GET /sessions": (call) => ({
      body: page(
        call.search.get("status") === "active"
          ? [
              {
                id: "s1",
                sessionId: "claude-abc",
                workerId: "w1",
                taskId: "t1",
                status: "active",
                createdAt: "2025-01-01T11:50:00.000Z",
                lastActivityAt: "2025-01-01T11:58:00.000Z",
                reapAt: "2025-01-01T12:28:00.000Z",
              },
            ]
          : [],
      ),
    }),
    "POST /sessions/s1/heartbeat": () => ({ body: { id: "s1", sessionId: "claude-abc", status: "active" } }),
    "GET /tasks/t1": () => ({ body: task({ id: "t1", title: "Fix login" }) }),
    "GET /tasks": (call) => ({
      body: page(
        call.search.get("status") === "completed"
          ? [
              task({
                id: "t3",
                title: "Tidy the README",
                status: "completed",
                completedAt: "2025-01-01T11:40:00.000Z",
                suspicious: "Completed with empty output",
              }),
              task({
                id: "t4",
                title: "Bump deps",
                status: "completed",
                completedAt: "2025-01-01T11:30:00.000Z",
              }),
            ]
          : [],
      ),
    }),
    "GET /chat/pending": () => ({
      body: {
        items: [
          {
            requestId: "q1",
            conversationId: "t1",
            taskId: "t1",
            workerId: "w1",
            message: "Which DB?",
            createdAt: "2025-01-01T11:55:00.000Z",
            waitingMs: 0,
          },
          {
            requestId: "q2",
            conversationId: "t2",
            taskId: "t2",
            workerId: "w2",
            message: "Which port?",
            createdAt: "2025-01-01T11:59:00.000Z",
            waitingMs: 0,
          },
        ],
      },
    }),
    "GET /activity": () => ({ body: page([]) }),
    ...overrides,
  });
