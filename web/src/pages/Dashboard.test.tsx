import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { page, task } from "../test/fixtures.ts";
import { mockApi, renderApp } from "../test/render.tsx";
import { Dashboard } from "./Dashboard.tsx";

const NOW = Date.parse("2025-01-01T12:00:00.000Z");
const depth = (visible: number) => ({ visible, inFlight: 0, dead: 0 });

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW);
});
afterEach(() => vi.useRealTimers());

const setup = () => {
  const api = mockApi({
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
  });
  renderApp(<Dashboard />);
  return { api, user: userEvent.setup() };
};

describe("dashboard", () => {
  it("shows workers by status with their current task and last heartbeat", async () => {
    setup();
    const workers = await screen.findByRole("region", { name: "Workers" });
    const row = (await within(workers).findByText("vine-1")).closest("tr") as HTMLElement;
    expect(within(row).getByText("waiting")).toBeTruthy();
    await waitFor(() => expect(within(row).getByRole("link", { name: "Fix login" })).toBeTruthy());
    expect(within(row).getByText("10s ago")).toBeTruthy();
    const counts = within(workers).getByRole("list", { name: "Workers by status" });
    expect(counts.textContent).toMatch(/1 idle/);
    expect(counts.textContent).toMatch(/1 waiting/);
  });

  it("maps each session to its task with age, idle time and the reap countdown; Keep alive heartbeats it", async () => {
    const { api, user } = setup();
    const sessions = await screen.findByRole("region", { name: "Agent sessions" });
    const row = (await within(sessions).findByText("claude-abc")).closest("tr") as HTMLElement;
    await waitFor(() => expect(within(row).getByRole("link", { name: "Fix login" })).toBeTruthy());
    expect(within(row).getByText("10m 00s")).toBeTruthy(); // age
    expect(within(row).getByText("2m 00s")).toBeTruthy(); // idle
    expect(within(row).getByText("in 28m 00s")).toBeTruthy(); // countdown to the reaper
    await user.click(within(row).getByRole("button", { name: "Keep alive" }));
    await waitFor(() => expect(api.calls.some((c) => c.path === "/sessions/s1/heartbeat")).toBe(true));
  });

  it("lists open questions oldest first with how long each worker has waited, and the queue per priority", async () => {
    setup();
    const questions = await screen.findByRole("region", { name: /Open questions/ });
    await within(questions).findByText("Which DB?");
    const items = within(questions)
      .getAllByRole("listitem")
      .map((li) => li.textContent);
    expect(items[0]).toMatch(/Which DB\?.*waiting.*5m 00s/);
    expect(items[1]).toMatch(/Which port\?.*waiting.*1m 00s/);
    const queue = screen.getByRole("region", { name: "Queue" });
    await waitFor(() =>
      expect(within(queue).getByText("high", { selector: "dt" }).nextSibling?.textContent).toBe("3"),
    );
    expect(within(queue).getByText("DLQ").nextSibling?.textContent).toBe("2");
    expect(within(queue).getByText("in flight", { selector: "dt" }).nextSibling?.textContent).toBe("1");
  });
});
