import { type ApiClient, unwrap } from "@agentvine/client";
import { parseEvent } from "@agentvine/client/socket";
import type { RealtimeEvent } from "@agentvine/core/realtime/events";
import WebSocket from "ws";

/**
 * A realtime socket for the bench, opened with a ticket from `api`: `next(match)` resolves with
 * the arrival time (performance.now()) of the first event matching, from now on.
 */
export const openSocket = async (api: ApiClient) => {
  const { url } = await unwrap(api.POST("/api/v1/ws-ticket"));
  const ws = new WebSocket(url);
  await new Promise((ok, fail) => ws.once("open", ok).once("error", fail));
  const waiters = new Set<{ match: (e: RealtimeEvent) => boolean; resolve: (at: number) => void }>();
  ws.on("message", (raw) => {
    const at = performance.now();
    const event = parseEvent(String(raw));
    if (!event) return;
    for (const w of waiters) {
      if (!w.match(event)) continue;
      waiters.delete(w);
      w.resolve(at);
    }
  });
  const next = (match: (e: RealtimeEvent) => boolean) =>
    new Promise<number>((resolve) => waiters.add({ match, resolve }));
  return { ws, next };
};
