import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { freezeClockAtNow, mockDashboardApi } from "../../test/dashboard-api.ts";
import { renderApp } from "../../test/render.tsx";
import { QueuePanel } from "./queue-panel.tsx";

freezeClockAtNow();

describe("queue panel", () => {
  it("shows the queue per priority, in flight and dead letters, flagging the ones to look at", async () => {
    mockDashboardApi();
    renderApp(<QueuePanel />);
    const queue = await screen.findByRole("region", { name: "Queue" });
    const value = (label: string) => within(queue).getByText(label, { selector: "dt" }).nextSibling;
    await waitFor(() => expect(value("high")?.textContent).toBe("3"));
    expect(value("normal")?.textContent).toBe("1");
    expect(value("in flight")?.textContent).toBe("1");
    expect(value("DLQ")?.textContent).toBe("2");
    expect(value("high")?.parentElement?.className).toBe("urgent");
    expect(value("DLQ")?.parentElement?.className).toBe("danger");
    expect(within(queue).getByText(/Claimed by workers: 1/)).toBeTruthy();
  });
});
