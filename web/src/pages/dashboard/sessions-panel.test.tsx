import type { Page } from "@agentvine/core/page";
import type { SessionInfo } from "@agentvine/core/session/schema";
import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { keys } from "../../api/cache.ts";
import { applyEvent } from "../../realtime/apply.ts";
import { freezeClockAtNow, mockDashboardApi } from "../../test/dashboard-api.ts";
import { page, task } from "../../test/fixtures.ts";
import { renderApp } from "../../test/render.tsx";
import { SessionsPanel } from "./sessions-panel.tsx";

freezeClockAtNow();

describe("sessions panel", () => {
  it("maps each session to its task with age, idle time and the reap countdown; Keep alive heartbeats it", async () => {
    const api = mockDashboardApi();
    const user = userEvent.setup();
    renderApp(<SessionsPanel />);
    const sessions = await screen.findByRole("region", { name: "Agent sessions" });
    const row = (await within(sessions).findByText("claude-abc")).closest("tr") as HTMLElement;
    await waitFor(() => expect(within(row).getByRole("link", { name: "Fix login" })).toBeTruthy());
    expect(within(row).getByText("vine-1")).toBeTruthy();
    expect(within(row).getByText("10m 00s")).toBeTruthy(); // age
    expect(within(row).getByText("2m 00s")).toBeTruthy(); // idle
    expect(within(row).getByText("in 28m 00s")).toBeTruthy(); // countdown to the reaper
    await user.click(within(row).getByRole("button", { name: "Keep alive" }));
    await waitFor(() => expect(api.calls.some((c) => c.path === "/sessions/s1/heartbeat")).toBe(true));
  });

  it("lists parked sessions apart from running ones, longest waiting first, each linking to its chat", async () => {
    const parked = (id: string, taskId: string, parkedAt: string, reapAt: string | null) => ({
      id,
      sessionId: `claude-${id}`,
      workerId: "w2",
      taskId,
      status: "parked",
      parkedAt,
      createdAt: "2025-01-01T09:00:00.000Z",
      lastActivityAt: parkedAt,
      reapAt,
    });
    const api = mockDashboardApi({
      "GET /sessions": (call) => ({
        body: page(
          call.search.get("status") === "parked"
            ? [
                parked("recent", "t1", "2025-01-01T11:50:00.000Z", null),
                parked("oldest", "t3", "2025-01-01T10:45:00.000Z", "2025-01-02T10:45:00.000Z"),
              ]
            : [],
        ),
      }),
      "GET /tasks/t3": () => ({ body: task({ id: "t3", title: "Add search" }) }),
    });
    renderApp(<SessionsPanel />);
    const list = await screen.findByRole("list", { name: "Parked sessions" });
    expect(screen.getByRole("heading", { name: "Parked, waiting on a person (2)" })).toBeTruthy();
    const items = within(list).getAllByRole("listitem");
    expect(items.map((li) => within(li).getByText(/^claude-/).textContent)).toEqual([
      "claude-oldest",
      "claude-recent",
    ]);
    const [oldest, recent] = items as [HTMLElement, HTMLElement];
    expect(within(oldest).getByText("parked")).toBeTruthy();
    expect(within(oldest).getByText("1h 15m")).toBeTruthy(); // waited since parking
    expect(within(oldest).getByText(/reaped in 22h 45m/)).toBeTruthy();
    expect(within(recent).getByText("10m 00s")).toBeTruthy();
    const link = await within(oldest).findByRole("link", { name: "Add search" });
    expect(link.getAttribute("href")).toBe("/chat/t3");
    // Nothing runs: the running table is not there, and no Keep alive for a parked session.
    expect(screen.getByText("No session is running.")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Keep alive" })).toBeNull();
    expect(api.calls.some((c) => c.path === "/sessions" && c.search.get("status") === "parked")).toBe(true);
  });

  it("moves a session that parks from the running table to the parked list as its event arrives", async () => {
    mockDashboardApi();
    const { qc } = renderApp(<SessionsPanel />);
    await screen.findByText("claude-abc");
    const running = qc.getQueryData<Page<SessionInfo>>(keys.sessions("active"))?.items[0] as SessionInfo;
    act(() =>
      applyEvent(qc, {
        type: "session.updated",
        data: { ...running, status: "parked", parkedAt: "2025-01-01T11:57:00.000Z" },
      }),
    );
    const list = await screen.findByRole("list", { name: "Parked sessions" });
    expect(within(list).getByText("claude-abc")).toBeTruthy();
    expect(within(list).getByText("3m 00s")).toBeTruthy();
    expect(screen.queryByRole("table")).toBeNull();
  });
});
