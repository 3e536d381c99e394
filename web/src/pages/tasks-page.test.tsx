import type { TaskInfo } from "@agentvine/core/task/schema";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { filterFromSearch, searchFromFilter } from "../components/task-filters.tsx";
import { page, task } from "../test/fixtures.ts";
import { mockApi, renderApp } from "../test/render.tsx";
import { TasksPage } from "./tasks-page.tsx";

// jsdom has no layout: give the scroll area a viewport's size so the virtualizer renders rows.
const sizes = { clientHeight: 800, clientWidth: 1200 };
const saved = Object.keys(sizes).map(
  (k) => [k, Object.getOwnPropertyDescriptor(HTMLElement.prototype, k)] as const,
);
beforeAll(() => {
  for (const [k, v] of Object.entries(sizes))
    Object.defineProperty(HTMLElement.prototype, k, { configurable: true, get: () => v });
});
afterAll(() => {
  for (const [k, d] of saved) if (d) Object.defineProperty(HTMLElement.prototype, k, d);
});

const listCalls = (calls: { method: string; path: string; search: URLSearchParams }[]) =>
  calls.filter((c) => c.method === "GET" && c.path === "/tasks").map((c) => Object.fromEntries(c.search));

const setup = (route: string, tasks: (call: { search: URLSearchParams }) => TaskInfo[]) => {
  const api = mockApi({
    "GET /tasks": (call) => ({ body: page(tasks(call)) }),
    "GET /workers": () => ({ body: page([]) }),
    "POST /queue/enqueue": (call) => ({
      status: 201,
      body: { task: task({ id: (call.body as { taskId: string }).taskId, status: "queued" }), workOrder: {} },
    }),
  });
  renderApp(<TasksPage />, { route });
  return { api, user: userEvent.setup() };
};

describe("task filters", () => {
  it("read and write the URL, ignoring values the API would refuse", () => {
    expect(filterFromSearch(new URLSearchParams("status=failed&type=docs&priority=bogus"))).toEqual({
      status: "failed",
      taskType: "docs",
      priority: undefined,
    });
    expect(searchFromFilter({ status: "queued", priority: "high" }).toString()).toBe(
      "status=queued&priority=high",
    );
  });

  it("start from the URL and ask the API for that filter, newest first", async () => {
    const { api } = setup("/tasks?status=failed&type=bugfix", () => [
      task({ title: "Broken build", status: "failed", taskType: "bugfix" }),
    ]);
    await screen.findByText("Broken build");
    expect(listCalls(api.calls)[0]).toMatchObject({ status: "failed", taskType: "bugfix", limit: "100" });
    expect(screen.getByRole("button", { name: "Failed" }).getAttribute("aria-pressed")).toBe("true");
    expect((screen.getByLabelText("Filter by type") as HTMLSelectElement).value).toBe("bugfix");
  });

  it("changing a filter refetches with it; clicking the active status clears it", async () => {
    const { api, user } = setup("/tasks", (call) => [
      task({
        title: `list for ${call.search.get("status") ?? "all"} ${call.search.get("priority") ?? ""}`.trim(),
      }),
    ]);
    await screen.findByText("list for all");
    await user.click(screen.getByRole("button", { name: "Completed" }));
    await screen.findByText("list for completed");
    await user.selectOptions(screen.getByLabelText("Filter by priority"), "high");
    await screen.findByText("list for completed high");
    await user.click(screen.getByRole("button", { name: "Completed" }));
    await screen.findByText("list for all high");
    await user.click(screen.getByRole("button", { name: "Clear filters" }));
    await screen.findByText("list for all");
    // Back to "all": that list is already cached, so no new request.
    expect(listCalls(api.calls).map((q) => `${q.status ?? "-"}/${q.priority ?? "-"}`)).toEqual([
      "-/-",
      "completed/-",
      "completed/high",
      "-/high",
    ]);
  });

  it("offers Retry for failed and cancelled tasks and Cancel for queued and running ones", async () => {
    const { api, user } = setup("/tasks", () => [
      task({ id: "a", title: "Queued one", status: "queued" }),
      task({ id: "r", title: "Running one", status: "in_progress" }),
      task({ id: "b", title: "Failed one", status: "failed", failureReason: "boom" }),
      task({ id: "c", title: "Cancelled one", status: "cancelled" }),
      task({ id: "d", title: "Done one", status: "completed" }),
    ]);
    await screen.findByText("Queued one");
    expect(screen.getByRole("button", { name: "Cancel Queued one" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Retry Failed one" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Retry Cancelled one" })).toBeTruthy();
    const done = screen.getByText("Done one").closest("tr") as HTMLElement;
    expect(within(done).queryByRole("button")).toBeNull();
    await user.click(screen.getByRole("button", { name: "Retry Failed one" }));
    await waitFor(() =>
      expect(api.calls.find((c) => c.path === "/queue/enqueue")?.body).toEqual({ taskId: "b" }),
    );
    // A running task's cancel stops its agent: it asks first, and "Keep it" sends nothing.
    const patched = () => api.calls.filter((c) => c.method === "PATCH" && c.path === "/tasks/r");
    await user.click(screen.getByRole("button", { name: "Cancel Running one" }));
    const ask = screen.getByRole("dialog", { name: 'Cancel "Running one"?' });
    expect(ask.textContent).toContain("Its agent is running");
    await user.click(within(ask).getByRole("button", { name: "Keep it" }));
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(patched()).toEqual([]);
    await user.click(screen.getByRole("button", { name: "Cancel Running one" }));
    await user.click(screen.getByRole("button", { name: "Cancel the task" }));
    await waitFor(() => expect(patched().map((c) => c.body)).toEqual([{ status: "cancelled" }]));
  });

  it("cancels a queued task at once: no agent has work to lose", async () => {
    const { api, user } = setup("/tasks", () => [task({ id: "q", title: "Queued one", status: "queued" })]);
    await user.click(await screen.findByRole("button", { name: "Cancel Queued one" }));
    expect(screen.queryByRole("dialog")).toBeNull();
    await waitFor(() =>
      expect(api.calls.find((c) => c.method === "PATCH" && c.path === "/tasks/q")?.body).toEqual({
        status: "cancelled",
      }),
    );
  });

  it("flags a completed run that looks like it did nothing, with its reason", async () => {
    setup("/tasks", () => [
      task({ title: "Empty run", status: "completed", suspicious: "Completed with empty output" }),
      task({ title: "Real run", status: "completed" }),
    ]);
    const flagged = (await screen.findByText("Empty run")).closest("tr") as HTMLElement;
    expect(within(flagged).getByTitle("Completed with empty output").textContent).toBe(
      "Suspicious: Completed with empty output",
    );
    const fine = screen.getByText("Real run").closest("tr") as HTMLElement;
    expect(within(fine).queryByText(/Suspicious/)).toBeNull();
  });

  it("filters on tasks parked on a person (waiting), shows them amber-badged and offers to cancel them", async () => {
    const { api, user } = setup("/tasks", (call) =>
      call.search.get("status") === "waiting"
        ? [task({ id: "w", title: "Parked one", status: "waiting" })]
        : [task({ id: "q", title: "Queued one", status: "queued" })],
    );
    await screen.findByText("Queued one");
    await user.click(screen.getByRole("button", { name: "Waiting" }));
    const row = (await screen.findByText("Parked one")).closest("tr") as HTMLElement;
    expect(listCalls(api.calls).at(-1)).toMatchObject({ status: "waiting" });
    expect(within(row).getByText("waiting").className).toBe("badge badge-waiting");
    expect(within(row).getByRole("button", { name: "Cancel Parked one" })).toBeTruthy();
  });

  it("renders only the rows in view, so 10,000 tasks stay smooth", async () => {
    const many = Array.from({ length: 10_000 }, (_, i) =>
      task({ id: `t${String(i).padStart(5, "0")}`, title: `Task ${i}` }),
    );
    setup("/tasks", () => many);
    await screen.findByText("Task 0");
    const rows = screen.getAllByRole("row");
    expect(rows.length).toBeLessThan(60);
    expect(screen.getByText(/10,000 tasks/)).toBeTruthy();
  });
});
