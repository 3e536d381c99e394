import type { LiveStatus } from "@agentvine/client/socket";
import { afterEach, describe, expect, it, vi } from "vitest";
import { mockApi } from "../test/render.tsx";
import { browserSocket } from "./client.ts";
import { FakeWebSocket } from "./fake-web-socket.ts";

const refusal = (status: number, code: string) => () => ({
  status,
  body: { error: { code, message: `refused: ${code}`, details: {} } },
});

const open = () => {
  const statuses: LiveStatus[] = [];
  const onFatal = vi.fn();
  const socket = browserSocket({ onEvent: () => {}, onStatus: (s) => statuses.push(s), onFatal });
  socket.start();
  return { socket, statuses, onFatal };
};

afterEach(() => {
  vi.unstubAllGlobals();
  FakeWebSocket.all = [];
});

describe("the browser's realtime socket", () => {
  it("opens the browser's WebSocket on the ticket URL the API gives", async () => {
    mockApi({
      "POST /ws-ticket": () => ({ status: 201, body: { ticket: "tk", url: "ws://h/ws?ticket=tk" } }),
    });
    vi.stubGlobal("WebSocket", FakeWebSocket);
    const { socket } = open();
    await vi.waitFor(() => expect(FakeWebSocket.all.map((s) => s.url)).toEqual(["ws://h/ws?ticket=tk"]));
    socket.stop();
  });

  it("stops for good when the token is refused, whatever the status (auth.* codes)", async () => {
    for (const [status, code] of [
      [401, "auth.invalid_token"],
      [403, "auth.forbidden"],
    ] as const) {
      mockApi({ "POST /ws-ticket": refusal(status, code) });
      const { socket, onFatal } = open();
      await vi.waitFor(() => expect(onFatal).toHaveBeenCalledTimes(1));
      expect(onFatal.mock.calls[0]?.[0]).toMatchObject({ code });
      expect(socket.current.state).toBe("stopped");
    }
  });

  it("keeps trying when the refusal is not about the token", async () => {
    mockApi({ "POST /ws-ticket": refusal(503, "unavailable") });
    const { socket, onFatal } = open();
    await vi.waitFor(() => expect(socket.current).toMatchObject({ state: "reconnecting", attempt: 1 }));
    expect(onFatal).not.toHaveBeenCalled();
    socket.stop();
  });
});
