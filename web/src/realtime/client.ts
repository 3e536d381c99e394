/**
 * The one WebSocket: opened with a one-use ticket from REST, kept alive with pings, reopened
 * with exponential backoff (and jitter) when it drops, and followed by a resync over REST
 * after every open so that nothing that happened while it was down is missed.
 */

export interface RealtimeEvent {
  type: string;
  data: unknown;
}

export type LiveState = "connecting" | "live" | "reconnecting" | "stopped";

export interface LiveStatus {
  state: LiveState;
  /** Failed attempts in a row (0 while live). */
  attempt: number;
  /** When the next attempt starts (reconnecting). */
  retryAt: number | null;
  /** The last problem, in words. */
  error: string | null;
  /** When the socket last delivered anything. */
  lastMessageAt: number | null;
}

interface SocketLike {
  readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export interface RealtimeOptions {
  /** POST /ws-ticket: the socket URL with its ticket. Throwing an auth error stops the client. */
  getTicket: () => Promise<{ url: string }>;
  onEvent: (event: RealtimeEvent) => void;
  onStatus: (status: LiveStatus) => void;
  /** After every open: refetch over REST what the socket may have missed. */
  onResync: () => void;
  /** The ticket request was refused (401): the token is no good, stop trying. */
  isAuthError?: (err: unknown) => boolean;
  onAuthError?: (err: unknown) => void;
  createSocket?: (url: string) => SocketLike;
  pingMs?: number;
  /** No message at all for this long after a ping: the socket is dead even if it looks open. */
  pongTimeoutMs?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  random?: () => number;
}

/** Backoff before attempt n (1-based): base * 2^(n-1), capped, with jitter in [50%, 100%]. */
export const backoffDelay = (attempt: number, baseMs: number, maxMs: number, random: () => number) => {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling * (0.5 + random() / 2));
};

export class RealtimeClient {
  private socket: SocketLike | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private pongTimer: ReturnType<typeof setTimeout> | null = null;
  private stopped = true;
  private generation = 0;
  private status: LiveStatus = {
    state: "stopped",
    attempt: 0,
    retryAt: null,
    error: null,
    lastMessageAt: null,
  };
  private readonly o: Required<Omit<RealtimeOptions, "onAuthError" | "isAuthError">> &
    Pick<RealtimeOptions, "onAuthError" | "isAuthError">;

  constructor(options: RealtimeOptions) {
    this.o = {
      createSocket: (url) => new WebSocket(url) as unknown as SocketLike,
      pingMs: 25_000,
      pongTimeoutMs: 10_000,
      baseDelayMs: 1000,
      maxDelayMs: 30_000,
      random: Math.random,
      ...options,
    };
  }

  start() {
    if (!this.stopped) return;
    this.stopped = false;
    void this.connect();
  }

  stop() {
    this.stopped = true;
    this.generation++;
    this.clearTimers();
    this.detach(true);
    this.setStatus({ state: "stopped", retryAt: null });
  }

  /** Try now (the network came back, the tab became visible, the person asked). */
  reconnectNow() {
    if (this.stopped || this.status.state === "live" || this.status.state === "connecting") return;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    void this.connect();
  }

  get current(): LiveStatus {
    return this.status;
  }

  private setStatus(patch: Partial<LiveStatus>) {
    this.status = { ...this.status, ...patch };
    this.o.onStatus(this.status);
  }

  private clearTimers() {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.pingTimer) clearInterval(this.pingTimer);
    if (this.pongTimer) clearTimeout(this.pongTimer);
    this.retryTimer = this.pingTimer = this.pongTimer = null;
  }

  private detach(close: boolean) {
    const socket = this.socket;
    this.socket = null;
    if (!socket) return;
    socket.onopen = socket.onclose = socket.onerror = socket.onmessage = null;
    if (close) {
      try {
        socket.close(1000, "client closing");
      } catch {
        // already closed
      }
    }
  }

  private async connect() {
    const generation = ++this.generation;
    this.clearTimers();
    this.detach(true);
    this.setStatus({ state: this.status.attempt > 0 ? "reconnecting" : "connecting", retryAt: null });
    let url: string;
    try {
      url = (await this.o.getTicket()).url;
    } catch (err) {
      if (generation !== this.generation) return;
      if (this.o.isAuthError?.(err)) {
        this.stop();
        this.o.onAuthError?.(err);
        return;
      }
      this.retry(`Ticket request failed: ${(err as Error).message}`);
      return;
    }
    if (generation !== this.generation) return;
    let socket: SocketLike;
    try {
      socket = this.o.createSocket(url);
    } catch (err) {
      this.retry(`Cannot open the socket: ${(err as Error).message}`);
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      this.setStatus({ state: "live", attempt: 0, retryAt: null, error: null, lastMessageAt: Date.now() });
      this.pingTimer = setInterval(() => this.ping(), this.o.pingMs);
      this.o.onResync();
    };
    socket.onmessage = (ev) => {
      if (this.pongTimer) clearTimeout(this.pongTimer);
      this.pongTimer = null;
      this.status = { ...this.status, lastMessageAt: Date.now() };
      let event: RealtimeEvent;
      try {
        event = JSON.parse(String(ev.data)) as RealtimeEvent;
      } catch {
        return;
      }
      if (!event || typeof event.type !== "string" || event.type === "pong") return;
      this.o.onEvent(event);
    };
    socket.onerror = () => {
      // a close event follows; it decides what happens next
    };
    socket.onclose = (ev) => {
      const code = (ev as { code?: number } | undefined)?.code;
      this.detach(false);
      this.retry(`Connection closed${code ? ` (${code})` : ""}`);
    };
  }

  private ping() {
    const socket = this.socket;
    if (!socket) return;
    try {
      socket.send(JSON.stringify({ type: "ping" }));
    } catch {
      // the close event will follow
    }
    if (!this.pongTimer) {
      this.pongTimer = setTimeout(() => {
        // Nothing back: a half-open connection. Drop it and start over.
        this.detach(true);
        this.retry("No answer to ping");
      }, this.o.pongTimeoutMs);
    }
  }

  private retry(error: string) {
    if (this.stopped) return;
    this.clearTimers();
    const attempt = this.status.attempt + 1;
    const delay = backoffDelay(attempt, this.o.baseDelayMs, this.o.maxDelayMs, this.o.random);
    this.setStatus({ state: "reconnecting", attempt, retryAt: Date.now() + delay, error });
    const generation = this.generation;
    this.retryTimer = setTimeout(() => {
      if (generation === this.generation && !this.stopped) void this.connect();
    }, delay);
  }
}
