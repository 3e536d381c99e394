import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { freezeClockAtNow, mockDashboardApi } from "../../test/dashboard-api.ts";
import { page, pendingRequest } from "../../test/fixtures.ts";
import { mockApi, renderApp } from "../../test/render.tsx";
import { QuestionsPanel } from "./questions-panel.tsx";

freezeClockAtNow();

describe("questions panel", () => {
  it("lists open questions oldest first with how long each worker has waited", async () => {
    mockDashboardApi();
    renderApp(<QuestionsPanel />);
    const questions = await screen.findByRole("region", { name: /Open questions/ });
    await within(questions).findByText("Which DB?");
    expect(within(questions).getByRole("heading").textContent).toBe("Open questions (2)");
    const items = within(questions)
      .getAllByRole("listitem")
      .map((li) => li.textContent);
    expect(items[0]).toMatch(/Which DB\?.*waiting.*5m 00s/);
    expect(items[1]).toMatch(/Which port\?.*waiting.*1m 00s/);
    expect(
      within(questions)
        .getByRole("link", { name: /Which DB\?/ })
        .getAttribute("href"),
    ).toBe("/chat/t1");
  });
});

describe("questions panel with an approval", () => {
  it("labels a request to allow a tool call, naming the tool", async () => {
    mockApi({
      "GET /workers": () => ({ body: page([]) }),
      "GET /chat/pending": () => ({
        body: page([pendingRequest({ createdAt: "2025-01-01T11:58:00.000Z" })]),
      }),
    });
    renderApp(<QuestionsPanel />);
    const link = await screen.findByRole("link", { name: /Run: npm test/ });
    expect(link.textContent).toMatch(/^Approval: BashRun: npm test/);
  });
});
