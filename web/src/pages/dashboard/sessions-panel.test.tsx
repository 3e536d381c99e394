import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { freezeClockAtNow, mockDashboardApi } from "../../test/dashboard-api.ts";
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
});
