import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { freezeClockAtNow, mockDashboardApi } from "../../test/dashboard-api.ts";
import { renderApp } from "../../test/render.tsx";
import { WorkersPanel } from "./workers-panel.tsx";

freezeClockAtNow();

describe("workers panel", () => {
  it("shows workers by status with their current task and last heartbeat", async () => {
    mockDashboardApi();
    renderApp(<WorkersPanel />);
    const workers = await screen.findByRole("region", { name: "Workers" });
    const row = (await within(workers).findByText("vine-1")).closest("tr") as HTMLElement;
    expect(within(row).getByText("waiting")).toBeTruthy();
    await waitFor(() => expect(within(row).getByRole("link", { name: "Fix login" })).toBeTruthy());
    expect(within(row).getByText("10s ago")).toBeTruthy();
    const counts = within(workers).getByRole("list", { name: "Workers by status" });
    expect(counts.textContent).toMatch(/1 idle/);
    expect(counts.textContent).toMatch(/1 waiting/);
  });
});
