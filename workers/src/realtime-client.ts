import { type LiveStatus, RealtimeSocket, type SocketOptions } from "@agentvine/client/socket";
import type { RealtimeEvent } from "@agentvine/core/realtime/events";
import WebSocket from "ws";
import type { ApiClient } from "./api-client.ts";

type Listener = (event: RealtimeEvent) => void;

/**
 * The worker's realtime connection: the shared reconnecting socket (tickets from REST, pings
 * that notice a dead socket, capped backoff with jitter) over the `ws` package. API Gateway
 * closes idle sockets after 10 min and every socket after 2 h; after every reopen the
 * `onResync` listeners run, so waiters re-read over REST what they may have missed.
 */
export class RealtimeClient {
  #listeners = new Set<Listener>();
  #resyncs = new Set<() => void>();
  #opened: { resolve: () => void; reject: (err: Error) => void } | null = null;
  readonly #socket: RealtimeSocket;

  constructor(
    api: Pick<ApiClient, "wsTicket">,
    log: (msg: string) => void = () => {},
    /** Ping and backoff timings; tests shorten them. */
    timing: Pick<SocketOptions, "pingMs" | "pongTimeoutMs" | "baseDelayMs" | "maxDelayMs"> = {},
  ) {
    let last: LiveStatus["state"] = "stopped";
    this.#socket = new RealtimeSocket({
      getUrl: async () => (await api.wsTicket()).url,
      createSocket: (url) => new WebSocket(url),
      onEvent: (event) => {
        for (const listener of this.#listeners) listener(event);
      },
      onResync: () => {
        for (const resync of this.#resyncs) resync();
      },
      onStatus: (status) => {
        if (status.state === "live") this.#opened?.resolve();
        if (status.state === "reconnecting" && last !== "reconnecting")
          log(`realtime connection lost (${status.error}); reconnecting`);
        last = status.state;
      },
      onInvalid: (raw) => log(`ignored a realtime frame that is not a known event: ${raw.slice(0, 200)}`),
      ...timing,
    });
  }

  on(listener: Listener) {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  onResync(listener: () => void) {
    this.#resyncs.add(listener);
    return () => this.#resyncs.delete(listener);
  }

  /** Opens the socket; resolves once it is live (it keeps retrying until then), rejects if closed first. */
  connect(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#opened = { resolve, reject };
      this.#socket.start();
      if (this.#socket.current.state === "live") resolve();
    });
  }

  close() {
    this.#socket.stop();
    this.#opened?.reject(new Error("The realtime connection was closed before it opened"));
    this.#opened = null;
  }
}
