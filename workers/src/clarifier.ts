import type { ChatMessageInfo } from "@agentvine/client";
import type { ApiClient } from "./api-client.ts";
import type { RealtimeClient } from "./realtime-client.ts";

/** How often a waiting request re-reads the conversation, in case a push was missed. */
const RESYNC_EVERY_MS = 15_000;

/** A person's decision on a tool call: a denial carries their reason for the agent. */
export type Approval = { allow: true } | { allow: false; message: string };

/**
 * Posts a request in the task's chat and waits for a person's answer: pushed over the realtime
 * connection at once, or found by re-reading the conversation after a reconnect (or every
 * 15 s). Whichever comes first resolves it, exactly once.
 */
const awaitAnswer = async (
  api: ApiClient,
  realtime: RealtimeClient,
  taskId: string,
  post: () => Promise<ChatMessageInfo>,
  signal: AbortSignal,
): Promise<ChatMessageInfo> => {
  const request = await post();
  const isAnswer = (m: Pick<ChatMessageInfo, "messageType" | "parentMessageId">) =>
    m.messageType === "response" && m.parentMessageId === request.id;

  return new Promise<ChatMessageInfo>((resolve, reject) => {
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
          if (answer) return settle(() => resolve(answer));
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
      } catch {
        // The next resync tries again.
      }
    };
    const offEvent = realtime.on((event) => {
      if (event.type === "chat.message" && isAnswer(event.data)) settle(() => resolve(event.data));
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
    // Aborted while the request was being posted: the listener above will not fire.
    if (signal.aborted) return onAbort();
    // The answer may have come before we listened.
    void resync();
  });
};

/** Asks a question in the task's chat; resolves with the person's answer. */
export const askHuman = async (
  api: ApiClient,
  realtime: RealtimeClient,
  taskId: string,
  question: string,
  signal: AbortSignal,
): Promise<string> =>
  (await awaitAnswer(api, realtime, taskId, () => api.ask(taskId, question), signal)).message;

/** Asks a person to allow a tool call (a chat request of kind "approval"); resolves with the decision. */
export const askApproval = async (
  api: ApiClient,
  realtime: RealtimeClient,
  taskId: string,
  request: { tool: string; input: string; message: string },
  signal: AbortSignal,
): Promise<Approval> => {
  const answer = await awaitAnswer(api, realtime, taskId, () => api.approve(taskId, request), signal);
  return answer.decision === "allow" ? { allow: true } : { allow: false, message: answer.message };
};
