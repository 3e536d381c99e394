import { describe, expect, it, vi } from "vitest";
import { backoffDelay, type LiveStatus, parseEvent, RealtimeSocket, type Timers } from "./socket.ts";

/** Time moved by hand: timers fire only when the test advances the clock past them. */
class ManualTimers implements Timers {
  #now = 1_000_000;
  #next = 1;
  #due = new Map<number, { at: number; run: () => void }>();
  now = () => this.#now;
  setTimeout = (run: () => void, ms: number) => {
    const id = this.#next++;
    this.#due.set(id, { at: this.#now + ms, run });
    return id;
  };
  clearTimeout = (handle: unknown) => void this.#due.delete(handle as number);
  /** Runs every timer due within `ms`, in order, then lets promise callbacks settle. */
  async advance(ms: number) {
    const end = this.#now + ms;
    for (;;) {
      const [id, timer] = [...this.#due].sort((a, b) => a[1].at - b[1].at)[0] ?? [];
      if (id === undefined || !timer || timer.at > end) break;
      this.#due.delete(id);
      this.#now = timer.at;
      timer.run();
      await flush();
    }
    this.#now = end;
    await flush();
  }
}

const flush = () => new Promise((r) => setImmediate(r));

/** A WebSocket stand-in the test opens, feeds and drops by hand. */
class FakeSocket {
  sent: string[] = [];
  closed = false;
  onopen: ((ev: unknown) => void) | null = null;
  onclose: ((ev: { code?: number }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  constructor(readonly url: string) {}
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.closed = true;
  }
  open() {
    this.onopen?.({});
  }
  receive(event: unknown) {
    this.onmessage?.({ data: JSON.stringify(event) });
  }
  drop(code = 1006) {
    this.onclose?.({ code });
  }
}

const activity = (id: string) => ({
  type: "activity.created" as const,
  data: {
    id,
    type: "task.created",
    summary: "created",
    taskId: null,
    workerId: null,
    sessionId: null,
    createdAt: "2025-01-01T00:00:00.000Z",
  },
});

const setup = (getUrl?: () => Promise<string>) => {
  let n = 0;
  const timers = new ManualTimers();
  const sockets: FakeSocket[] = [];
  const events: unknown[] = [];
  const statuses: LiveStatus[] = [];
  const invalid: string[] = [];
  const onResync = vi.fn();
  const onFatal = vi.fn();
  const ticket = vi.fn(getUrl ?? (async () => `ws://api/ws?ticket=t${++n}`));
  const socket = new RealtimeSocket({
    getUrl: ticket,
    createSocket: (url) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      return s;
    },
    onEvent: (e) => events.push(e),
    onStatus: (s) => statuses.push(s),
    onResync,
    onInvalid: (raw) => invalid.push(raw),
    isFatal: (err) => (err as Error).message === "revoked",
    onFatal,
    pingMs: 30_000,
    pongTimeoutMs: 10_000,
    baseDelayMs: 1000,
    maxDelayMs: 30_000,
    random: () => 1, // no jitter: the full delay
    timers,
  });
  const last = () => sockets.at(-1) as FakeSocket;
  return { socket, timers, sockets, events, statuses, invalid, onResync, onFatal, ticket, last };
};

describe("realtime socket", () => {
  it("opens with a fresh ticket, goes live, resyncs, and delivers valid events (not pongs)", async () => {
    const { socket, timers, events, statuses, invalid, onResync, last } = setup();
    socket.start();
    await timers.advance(0);
    expect(last().url).toBe("ws://api/ws?ticket=t1");
    last().open();
    expect(socket.current.state).toBe("live");
    expect(onResync).toHaveBeenCalledTimes(1);
    last().receive(activity("a1"));
    last().receive({ type: "pong", data: {} });
    last().receive({ type: "task.updated", data: { id: "not a whole task" } });
    expect(events).toEqual([activity("a1")]);
    expect(invalid).toHaveLength(1);
    expect(statuses.map((s) => s.state)).toEqual(["connecting", "live"]);
    socket.stop();
  });

  it("reconnects with doubling backoff, a new ticket each time, and resyncs after each reopen", async () => {
    const { socket, timers, sockets, onResync, last, ticket } = setup();
    socket.start();
    await timers.advance(0);
    last().open();
    last().drop();
    expect(socket.current).toMatchObject({
      state: "reconnecting",
      attempt: 1,
      error: "Connection closed (1006)",
    });
    await timers.advance(999);
    expect(sockets).toHaveLength(1);
    await timers.advance(1);
    expect(sockets).toHaveLength(2);
    last().drop();
    expect(socket.current.attempt).toBe(2);
    await timers.advance(1999);
    expect(sockets).toHaveLength(2);
    await timers.advance(1);
    expect(sockets).toHaveLength(3);
    expect(ticket).toHaveBeenCalledTimes(3);
    last().open();
    expect(socket.current).toMatchObject({ state: "live", attempt: 0 });
    expect(onResync).toHaveBeenCalledTimes(2);
    socket.stop();
  });

  it("keeps retrying while the ticket request fails, the delay capped at the maximum", async () => {
    const { socket, timers } = setup(async () => {
      throw new Error("Cannot reach the API");
    });
    socket.start();
    await timers.advance(0);
    expect(socket.current).toMatchObject({ state: "reconnecting", attempt: 1 });
    expect(socket.current.error).toMatch(/Cannot reach the API/);
    await timers.advance(1000 + 2000 + 4000 + 8000 + 16000 + 30000 + 30000);
    expect(socket.current.attempt).toBe(8);
    expect((socket.current.retryAt ?? 0) - timers.now()).toBe(30_000);
    socket.stop();
  });

  it("stops for good on an error retrying cannot fix", async () => {
    const { socket, timers, onFatal, ticket } = setup(async () => {
      throw new Error("revoked");
    });
    socket.start();
    await timers.advance(120_000);
    expect(onFatal).toHaveBeenCalledTimes(1);
    expect(ticket).toHaveBeenCalledTimes(1);
    expect(socket.current.state).toBe("stopped");
  });

  it("pings, and drops a half-open socket that stops answering, then reopens", async () => {
    const { socket, timers, sockets, last } = setup();
    socket.start();
    await timers.advance(0);
    const first = last();
    first.open();
    await timers.advance(30_000);
    expect(first.sent).toEqual(['{"type":"ping"}']);
    first.receive({ type: "pong", data: {} });
    await timers.advance(10_000);
    expect(socket.current.state).toBe("live");

    // The next ping gets nothing back, though the socket never reports a close.
    await timers.advance(20_000);
    expect(first.sent).toHaveLength(2);
    await timers.advance(9_999);
    expect(socket.current.state).toBe("live");
    await timers.advance(1);
    expect(first.closed).toBe(true);
    expect(socket.current).toMatchObject({ state: "reconnecting", error: "No answer to ping" });
    await timers.advance(1000);
    expect(sockets).toHaveLength(2);
    socket.stop();
  });

  it("reconnectNow skips the wait; stop closes everything and nothing reopens", async () => {
    const { socket, timers, sockets, last } = setup();
    socket.start();
    await timers.advance(0);
    last().open();
    last().drop();
    socket.reconnectNow();
    await timers.advance(0);
    expect(sockets).toHaveLength(2);
    last().open();
    socket.stop();
    expect(last().closed).toBe(true);
    expect(socket.current.state).toBe("stopped");
    await timers.advance(300_000);
    expect(sockets).toHaveLength(2);
  });

  it("backoff doubles, is capped, and jitters within [50%, 100%]", () => {
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, 1000, 30_000, () => 1))).toEqual([1000, 2000, 4000, 8000]);
    expect(backoffDelay(10, 1000, 30_000, () => 1)).toBe(30_000);
    expect(backoffDelay(3, 1000, 30_000, () => 0)).toBe(2000);
  });

  it("parses only frames of the event contract", () => {
    expect(parseEvent(JSON.stringify(activity("x")))).toEqual(activity("x"));
    expect(parseEvent("not json")).toBeNull();
    expect(parseEvent(JSON.stringify({ type: "no.such", data: {} }))).toBeNull();
  });
});
