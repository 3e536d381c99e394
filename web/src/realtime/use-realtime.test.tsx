import { screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { useTasks } from "../api/queries.ts";
import { useAuth } from "../auth/store.ts";
import { LiveIndicator } from "../components/live-indicator.tsx";
import { page, task } from "../test/fixtures.ts";
import { mockApi, renderApp } from "../test/render.tsx";
import { FakeWebSocket } from "./fake-web-socket.ts";
import { useRealtime } from "./use-realtime.ts";

const Probe = () => {
  useRealtime();
  const tasks = useTasks({});
  return (
    <>
      <LiveIndicator />
      <ul>
        {tasks.data?.pages
          .flatMap((p) => p.items)
          .map((t) => (
            <li key={t.id}>
              {t.title}: {t.status}
            </li>
          ))}
      </ul>
    </>
  );
};

afterEach(() => {
  vi.unstubAllGlobals();
  FakeWebSocket.all = [];
});

describe("useRealtime", () => {
  it("applies pushed events, shows liveness honestly, and resyncs over REST after a reconnect", async () => {
    let serverTasks = [task({ id: "t1", title: "Build", status: "queued" })];
    const api = mockApi({
      "GET /tasks": () => ({ body: page(serverTasks) }),
      "POST /ws-ticket": () => ({
        status: 201,
        body: { ticket: "tk", url: "ws://localhost/api/v1/chat/ws?ticket=tk" },
      }),
    });
    vi.stubGlobal("WebSocket", FakeWebSocket);
    useAuth.setState({ token: "test-token" });
    renderApp(<Probe />);

    await screen.findByText("Build: queued");
    await waitFor(() => expect(FakeWebSocket.all).toHaveLength(1));
    const first = FakeWebSocket.all[0] as FakeWebSocket;
    expect(first.url).toContain("ticket=tk");
    first.onopen?.({});
    await screen.findByText("Live");

    // A pushed update lands without a refetch.
    const restCalls = () => api.calls.filter((c) => c.path === "/tasks").length;
    const before = restCalls();
    first.onmessage?.({
      data: JSON.stringify({ type: "task.updated", data: { ...serverTasks[0], status: "in_progress" } }),
    });
    await screen.findByText("Build: in_progress");
    expect(restCalls()).toBe(before);

    // The socket drops: the indicator says so; meanwhile the task completes (an event we miss).
    first.onclose?.({ code: 1006 });
    await screen.findByText(/Not live/);
    serverTasks = [{ ...(serverTasks[0] as (typeof serverTasks)[0]), status: "completed" }];

    // It reconnects by itself (backoff ~1 s) and refetches, so the missed change shows.
    await waitFor(() => expect(FakeWebSocket.all).toHaveLength(2), { timeout: 3000 });
    (FakeWebSocket.all[1] as FakeWebSocket).onopen?.({});
    await screen.findByText("Live");
    await screen.findByText("Build: completed");
    expect(restCalls()).toBeGreaterThan(before);
    useAuth.setState({ token: null });
  });
});
