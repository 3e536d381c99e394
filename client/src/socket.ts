import { type ClientMessage, RealtimeEvent } from "@agentvine/core/realtime/events";

/**
 * The one realtime socket of the web UI and the worker: opened with a fresh one-use ticket,
 * pinged so a dead (half-open) socket is noticed, reopened with capped, jittered backoff when
 * it drops, and followed by a resync after every open so nothing missed while down is lost.
 */

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

/**
 * What is used of a WebSocket. The browser's and the `ws` package's both fit: handlers take
 * `never` because their event types differ, and only `data` and `code` are read from them.
 */
export interface SocketLike {
  onopen: ((ev: never) => void) | null;
  onclose: ((ev: never) => void) | null;
  onerror: ((ev: never) => void) | null;
  onmessage: ((ev: never) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

/** Time, injectable so tests drive it by hand. */
export interface Timers {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface SocketOptions {
  /** A fresh socket URL with its one-use ticket (POST /ws-ticket), for every attempt. */
  getUrl: () => Promise<string>;
  /** `(url) => new WebSocket(url)`, with the browser's WebSocket or the `ws` package's. */
  createSocket: (url: string) => SocketLike;
  onEvent: (event: RealtimeEvent) => void;
  onStatus?: (status: LiveStatus) => void;
  /** After every open: re-read over REST what the socket may have missed. */
  onResync?: () => void;
  /** An error getting the URL that retrying cannot fix (a revoked token): stop for good. */
  isFatal?: (err: unknown) => boolean;
  onFatal?: (err: unknown) => void;
  /** A frame that is not a known event (a newer server, a bug): dropped, and said here. */
  onInvalid?: (raw: string) => void;
  /** How often to ping; API Gateway closes a socket idle for 10 minutes. */
  pingMs?: number;
  /** No frame at all this long after a ping: the socket is dead even if it looks open. */
  pongTimeoutMs?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  random?: () => number;
  timers?: Timers;
}

/** Backoff before attempt n (1-based): base * 2^(n-1), capped, with jitter in [50%, 100%]. */
export const backoffDelay = (attempt: number, baseMs: number, maxMs: number, random: () => number) => {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling * (0.5 + random() / 2));
};

/** A frame as an event; null for anything that is not one (pongs included: they only prove life). */
export const parseEvent = (raw: string): RealtimeEvent | null => {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return null;
  }
  const parsed = RealtimeEvent.safeParse(json);
  return parsed.success ? parsed.data : null;
};

const PING: ClientMessage = { type: "ping" };
const ignore = () => {};

export class RealtimeSocket {
  #socket: SocketLike | null = null;
  #retryTimer: unknown = null;
  #pingTimer: unknown = null;
  #pongTimer: unknown = null;
  #stopped = true;
  /** Bumped by every attempt and stop: callbacks of an older attempt do nothing. */
  #generation = 0;
  #status: LiveStatus = { state: "stopped", attempt: 0, retryAt: null, error: null, lastMessageAt: null };
  readonly #o: SocketOptions &
    Required<
      Pick<SocketOptions, "pingMs" | "pongTimeoutMs" | "baseDelayMs" | "maxDelayMs" | "random" | "timers">
    >;

  constructor(options: SocketOptions) {
    this.#o = {
      pingMs: 30_000,
      pongTimeoutMs: 10_000,
      baseDelayMs: 1000,
      maxDelayMs: 30_000,
      random: Math.random,
      timers: realTimers,
      ...options,
    };
  }

  get current(): LiveStatus {
    return this.#status;
  }

  start() {
    if (!this.#stopped) return;
    this.#stopped = false;
    void this.#connect();
  }

  stop() {
    this.#stopped = true;
    this.#generation++;
    this.#clearTimers();
    this.#detach(true);
    this.#setStatus({ state: "stopped", retryAt: null });
  }

  /** Try now rather than after the backoff (the network came back, the tab became visible). */
  reconnectNow() {
    const { state } = this.#status;
    if (this.#stopped || state === "live" || state === "connecting") return;
    void this.#connect();
  }

  #setStatus(patch: Partial<LiveStatus>) {
    this.#status = { ...this.#status, ...patch };
    this.#o.onStatus?.(this.#status);
  }

  #clear(handle: unknown) {
    if (handle !== null) this.#o.timers.clearTimeout(handle);
  }

  #clearTimers() {
    this.#clear(this.#retryTimer);
    this.#clear(this.#pingTimer);
    this.#clear(this.#pongTimer);
    this.#retryTimer = this.#pingTimer = this.#pongTimer = null;
  }

  #detach(close: boolean) {
    const socket = this.#socket;
    this.#socket = null;
    if (!socket) return;
    socket.onopen = socket.onclose = socket.onmessage = null;
    // Not null: `ws` throws an error emitted with no listener, and closing a socket that is
    // still connecting emits one.
    socket.onerror = ignore;
    if (!close) return;
    try {
      socket.close(1000, "client closing");
    } catch {
      // already closed
    }
  }

  async #connect() {
    const generation = ++this.#generation;
    this.#clearTimers();
    this.#detach(true);
    this.#setStatus({ state: this.#status.attempt > 0 ? "reconnecting" : "connecting", retryAt: null });
    let url: string;
    try {
      url = await this.#o.getUrl();
    } catch (err) {
      if (generation !== this.#generation) return;
      if (this.#o.isFatal?.(err)) {
        this.stop();
        this.#o.onFatal?.(err);
        return;
      }
      return this.#retry(`Ticket request failed: ${(err as Error).message}`);
    }
    if (generation !== this.#generation) return;
    let socket: SocketLike;
    try {
      socket = this.#o.createSocket(url);
    } catch (err) {
      return this.#retry(`Cannot open the socket: ${(err as Error).message}`);
    }
    this.#socket = socket;
    socket.onopen = () => {
      this.#setStatus({
        state: "live",
        attempt: 0,
        retryAt: null,
        error: null,
        lastMessageAt: this.#o.timers.now(),
      });
      this.#schedulePing();
      this.#o.onResync?.();
    };
    socket.onmessage = (ev: { data: unknown }) => this.#receive(String(ev.data));
    // A close event follows an error; it decides what happens next.
    socket.onerror = ignore;
    socket.onclose = (ev: { code?: number } | undefined) => {
      this.#detach(false);
      this.#retry(`Connection closed${ev?.code ? ` (${ev.code})` : ""}`);
    };
  }

  #receive(raw: string) {
    // Any frame proves the socket alive, not only a pong.
    this.#clear(this.#pongTimer);
    this.#pongTimer = null;
    this.#status = { ...this.#status, lastMessageAt: this.#o.timers.now() };
    const event = parseEvent(raw);
    if (!event) return this.#o.onInvalid?.(raw);
    if (event.type !== "pong") this.#o.onEvent(event);
  }

  #schedulePing() {
    this.#pingTimer = this.#o.timers.setTimeout(() => this.#ping(), this.#o.pingMs);
  }

  #ping() {
    const socket = this.#socket;
    if (!socket) return;
    this.#schedulePing();
    try {
      socket.send(JSON.stringify(PING));
    } catch {
      // the close event will follow
    }
    if (this.#pongTimer !== null) return;
    this.#pongTimer = this.#o.timers.setTimeout(() => {
      // Nothing back: a half-open connection. Drop it and start over.
      this.#detach(true);
      this.#retry("No answer to ping");
    }, this.#o.pongTimeoutMs);
  }

  #retry(error: string) {
    if (this.#stopped) return;
    this.#clearTimers();
    const attempt = this.#status.attempt + 1;
    const delay = backoffDelay(attempt, this.#o.baseDelayMs, this.#o.maxDelayMs, this.#o.random);
    this.#setStatus({ state: "reconnecting", attempt, retryAt: this.#o.timers.now() + delay, error });
    const generation = this.#generation;
    this.#retryTimer = this.#o.timers.setTimeout(() => {
      if (generation === this.#generation && !this.#stopped) void this.#connect();
    }, delay);
  }
}
