import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { freezeClockAtNow, mockDashboardApi } from "../../test/dashboard-api.ts";
import { renderApp } from "../../test/render.tsx";
import { SuspiciousPanel } from "./suspicious-panel.tsx";

freezeClockAtNow();

describe("suspicious runs panel", () => {
  it("lists the completed tasks flagged as suspicious, with the reason, and no other", async () => {
    mockDashboardApi();
    renderApp(<SuspiciousPanel />);
    const panel = await screen.findByRole("region", { name: "Suspicious runs (1)" });
    const [item, ...rest] = within(panel).getAllByRole("listitem");
    expect(rest).toHaveLength(0);
    expect(
      within(item as HTMLElement)
        .getByRole("link", { name: "Tidy the README" })
        .getAttribute("href"),
    ).toBe("/tasks/t3");
    expect(item?.textContent).toMatch(/Completed with empty output.*completed 20m 00s ago/);
  });
});
