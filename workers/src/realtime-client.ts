import WebSocket from "ws";
import type { ApiClient } from "./api-client.ts";

export interface RealtimeEvent {
  type: string;
  data: Record<string, unknown>;
}

type Listener = (event: RealtimeEvent) => void;

/**
 * The worker's realtime connection: opened with a one-use ticket, reopened with backoff when
 * it drops (API Gateway closes idle sockets after 10 min and every socket after 2 h). After a
 * reopen, `onResync` listeners run so waiters re-read over REST what they may have missed.
 */
export class RealtimeClient {
  #socket: WebSocket | null = null;
  #listeners = new Set<Listener>();
  #resyncs = new Set<() => void>();
  #closed = false;
  #backoffMs = 250;
  #ping: NodeJS.Timeout | null = null;

  constructor(
    private readonly api: ApiClient,
    private readonly log: (msg: string) => void = () => {},
  ) {}

  on(listener: Listener) {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  onResync(listener: () => void) {
    this.#resyncs.add(listener);
    return () => this.#resyncs.delete(listener);
  }

  async connect(): Promise<void> {
    const { url } = await this.api.wsTicket();
    const socket = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      socket.once("open", () => resolve());
      socket.once("error", reject);
      socket.once("unexpected-response", (_req, res) =>
        reject(new Error(`WebSocket refused: ${res.statusCode}`)),
      );
    });
    this.#socket = socket;
    this.#backoffMs = 250;
    socket.on("message", (raw) => {
      try {
        const event = JSON.parse(String(raw)) as RealtimeEvent;
        for (const listener of this.#listeners) listener(event);
      } catch {
        this.log("ignored a realtime frame that is not JSON");
      }
    });
    socket.on("close", () => void this.#reopen());
    // Under API Gateway's 10 minute idle limit.
    this.#ping = setInterval(() => socket.send(JSON.stringify({ type: "ping" })), 5 * 60_000);
  }

  async #reopen() {
    if (this.#ping) clearInterval(this.#ping);
    while (!this.#closed) {
      await new Promise((r) => setTimeout(r, this.#backoffMs));
      this.#backoffMs = Math.min(this.#backoffMs * 2, 10_000);
      try {
        await this.connect();
        for (const resync of this.#resyncs) resync();
        return;
      } catch (err) {
        this.log(`realtime reconnect failed: ${(err as Error).message}`);
      }
    }
  }

  close() {
    this.#closed = true;
    if (this.#ping) clearInterval(this.#ping);
    this.#socket?.close();
  }
}
