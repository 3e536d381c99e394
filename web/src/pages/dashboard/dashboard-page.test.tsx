import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { freezeClockAtNow, mockDashboardApi } from "../../test/dashboard-api.ts";
import { renderApp } from "../../test/render.tsx";
import { Dashboard } from "./dashboard-page.tsx";

freezeClockAtNow();

describe("dashboard page", () => {
  it("lays out every panel as a named region, the main ones first", async () => {
    mockDashboardApi();
    renderApp(<Dashboard />);
    await screen.findByText("claude-abc");
    expect(screen.getByRole("heading", { level: 1, name: "Dashboard" })).toBeTruthy();
    const regions = screen.getAllByRole("region").map((r) => r.getAttribute("aria-labelledby"));
    const names = regions.map((id) => document.getElementById(id ?? "")?.textContent);
    expect(names).toEqual([
      "Workers",
      "Agent sessions",
      "Open questions (2)",
      "Suspicious runs (1)",
      "Queue",
      "Recent activity",
    ]);
  });
});
