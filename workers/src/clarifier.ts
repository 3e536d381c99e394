import type { ChatMessageInfo } from "@agentvine/client";
import type { ApiClient } from "./api-client.ts";
import type { RealtimeClient } from "./realtime-client.ts";

/** How often a waiting question re-reads the conversation, in case a push was missed. */
const RESYNC_EVERY_MS = 15_000;

/**
 * Asks a question in the task's chat and waits for the human's answer: pushed over the
 * realtime connection at once, or found by re-reading the conversation after a reconnect (or
 * every 15 s). Whichever comes first resolves it, exactly once.
 */
export const askHuman = async (
  api: ApiClient,
  realtime: RealtimeClient,
  taskId: string,
  question: string,
  signal: AbortSignal,
): Promise<string> => {
  const request = await api.ask(taskId, question);
  const isAnswer = (m: Pick<ChatMessageInfo, "messageType" | "parentMessageId">) =>
    m.messageType === "response" && m.parentMessageId === request.id;

  return new Promise<string>((resolve, reject) => {
    const cleanups: (() => void)[] = [];
    const settle = (fn: () => void) => {
      for (const cleanup of cleanups.splice(0)) cleanup();
      fn();
    };
    const resync = async () => {
      try {
        let cursor: string | undefined;
        do {
          const page = await api.messages(taskId, cursor);
          const answer = page.items.find(isAnswer);
          if (answer) return settle(() => resolve(answer.message));
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
      } catch {
        // The next resync tries again.
      }
    };
    const offEvent = realtime.on((event) => {
      if (event.type === "chat.message" && isAnswer(event.data)) settle(() => resolve(event.data.message));
    });
    const offResync = realtime.onResync(() => void resync());
    const timer = setInterval(() => void resync(), RESYNC_EVERY_MS);
    const onAbort = () => settle(() => reject(signal.reason));
    signal.addEventListener("abort", onAbort, { once: true });
    cleanups.push(
      offEvent,
      offResync,
      () => clearInterval(timer),
      () => signal.removeEventListener("abort", onAbort),
    );
    // Aborted while the question was being posted: the listener above will not fire.
    if (signal.aborted) return onAbort();
    // The answer may have come before we listened.
    void resync();
  });
};
