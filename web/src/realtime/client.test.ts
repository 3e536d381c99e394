import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ApiError } from "../api/client.ts";
import { backoffDelay, type LiveStatus, RealtimeClient, type RealtimeEvent } from "./client.ts";

/** A WebSocket stand-in the test opens, feeds and drops by hand. */
class FakeSocket {
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: string[] = [];
  closed = false;
  onopen: ((ev: unknown) => void) | null = null;
  onclose: ((ev: unknown) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.closed = true;
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  receive(event: RealtimeEvent) {
    this.onmessage?.({ data: JSON.stringify(event) });
  }
  drop(code = 1006) {
    this.readyState = 3;
    this.onclose?.({ code });
  }
}

const setup = (getTicket?: () => Promise<{ url: string }>) => {
  let n = 0;
  const events: RealtimeEvent[] = [];
  const statuses: LiveStatus[] = [];
  const onResync = vi.fn();
  const onAuthError = vi.fn();
  const ticket = vi.fn(getTicket ?? (async () => ({ url: `ws://api/ws?ticket=t${++n}` })));
  const client = new RealtimeClient({
    getTicket: ticket,
    onEvent: (e) => events.push(e),
    onStatus: (s) => statuses.push(s),
    onResync,
    isAuthError: (err) => err instanceof ApiError && err.status === 401,
    onAuthError,
    createSocket: (url) => new FakeSocket(url),
    pingMs: 25_000,
    pongTimeoutMs: 10_000,
    baseDelayMs: 1000,
    maxDelayMs: 30_000,
    random: () => 1, // no jitter: the full delay
  });
  return {
    client,
    events,
    statuses,
    onResync,
    onAuthError,
    ticket,
    last: () => FakeSocket.all.at(-1) as FakeSocket,
  };
};

beforeEach(() => {
  vi.useFakeTimers();
  FakeSocket.all = [];
});
afterEach(() => vi.useRealTimers());

describe("realtime client", () => {
  it("opens with a fresh ticket, goes live, resyncs, and delivers events (not pongs)", async () => {
    const { client, events, statuses, onResync, last } = setup();
    client.start();
    expect(client.current.state).toBe("connecting");
    await vi.advanceTimersByTimeAsync(0);
    expect(last().url).toBe("ws://api/ws?ticket=t1");
    last().open();
    expect(client.current.state).toBe("live");
    expect(onResync).toHaveBeenCalledTimes(1);
    last().receive({ type: "task.updated", data: { id: "t" } });
    last().receive({ type: "pong", data: {} });
    expect(events).toEqual([{ type: "task.updated", data: { id: "t" } }]);
    expect(statuses.map((s) => s.state)).toEqual(["connecting", "live"]);
    client.stop();
  });

  it("reconnects with exponential backoff, each time with a new ticket, and resyncs after each reopen", async () => {
    const { client, onResync, last, ticket } = setup();
    client.start();
    await vi.advanceTimersByTimeAsync(0);
    last().open();
    last().drop();
    expect(client.current).toMatchObject({ state: "reconnecting", attempt: 1 });

    // 1st retry after 1 s: it fails to open too.
    await vi.advanceTimersByTimeAsync(999);
    expect(FakeSocket.all).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeSocket.all).toHaveLength(2);
    last().drop();
    expect(client.current.attempt).toBe(2);

    // 2nd retry after 2 s.
    await vi.advanceTimersByTimeAsync(1999);
    expect(FakeSocket.all).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeSocket.all).toHaveLength(3);
    expect(ticket).toHaveBeenCalledTimes(3);
    last().open();
    expect(client.current).toMatchObject({ state: "live", attempt: 0 });
    // Resynced on the first open and again after the reconnect: nothing missed while down.
    expect(onResync).toHaveBeenCalledTimes(2);
    client.stop();
  });

  it("keeps retrying while the ticket request fails, capped at the maximum delay", async () => {
    const { client } = setup(async () => {
      throw new ApiError(0, "unreachable", "Cannot reach the API");
    });
    client.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(client.current).toMatchObject({ state: "reconnecting", attempt: 1 });
    expect(client.current.error).toMatch(/Cannot reach the API/);
    await vi.advanceTimersByTimeAsync(1000 + 2000 + 4000 + 8000 + 16000 + 30000 + 30000);
    expect(client.current.attempt).toBe(8);
    expect((client.current.retryAt ?? 0) - Date.now()).toBe(30_000);
    client.stop();
  });

  it("stops for good when the ticket is refused (bad token)", async () => {
    const { client, onAuthError } = setup(async () => {
      throw new ApiError(401, "auth.invalid_token", "The API token is unknown or revoked");
    });
    client.start();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(onAuthError).toHaveBeenCalledTimes(1);
    expect(client.current.state).toBe("stopped");
  });

  it("pings, and drops a half-open socket that stops answering", async () => {
    const { client, last } = setup();
    client.start();
    await vi.advanceTimersByTimeAsync(0);
    const first = last();
    first.open();
    await vi.advanceTimersByTimeAsync(25_000);
    expect(first.sent).toEqual(['{"type":"ping"}']);
    first.receive({ type: "pong", data: {} });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(client.current.state).toBe("live");

    // Next ping gets nothing back.
    await vi.advanceTimersByTimeAsync(15_000);
    expect(first.sent).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(first.closed).toBe(true);
    expect(client.current).toMatchObject({ state: "reconnecting", error: "No answer to ping" });
    await vi.advanceTimersByTimeAsync(1000);
    expect(FakeSocket.all).toHaveLength(2);
    client.stop();
  });

  it("reconnectNow skips the wait; stop closes everything", async () => {
    const { client, last } = setup();
    client.start();
    await vi.advanceTimersByTimeAsync(0);
    last().open();
    last().drop();
    client.reconnectNow();
    await vi.advanceTimersByTimeAsync(0);
    expect(FakeSocket.all).toHaveLength(2);
    last().open();
    client.stop();
    expect(last().closed).toBe(true);
    expect(client.current.state).toBe("stopped");
    await vi.advanceTimersByTimeAsync(120_000);
    expect(FakeSocket.all).toHaveLength(2);
  });

  it("backoff doubles, is capped, and jitters within [50%, 100%]", () => {
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, 1000, 30_000, () => 1))).toEqual([1000, 2000, 4000, 8000]);
    expect(backoffDelay(10, 1000, 30_000, () => 1)).toBe(30_000);
    expect(backoffDelay(3, 1000, 30_000, () => 0)).toBe(2000);
  });
});
