import { RealtimeSocket, type SocketOptions } from "@agentvine/client/socket";
import { ApiError, api } from "../api/client.ts";

export type { LiveState, LiveStatus } from "@agentvine/client/socket";

/**
 * The browser's realtime socket: the shared reconnecting socket with tickets from the
 * signed-in REST client and the browser's WebSocket. A ticket refused for the token
 * (`auth.*`: unknown, revoked, not allowed) stops it: retrying cannot help, signing in can.
 */
export const browserSocket = (
  options: Pick<SocketOptions, "onEvent" | "onStatus" | "onResync" | "onFatal">,
) =>
  new RealtimeSocket({
    getUrl: async () => (await api.wsTicket()).url,
    createSocket: (url) => new WebSocket(url),
    isFatal: (err) => err instanceof ApiError && err.code.startsWith("auth."),
    onInvalid: (raw) =>
      console.warn(`ignored a realtime frame that is not a known event: ${raw.slice(0, 200)}`),
    pingMs: 25_000,
    ...options,
  });
