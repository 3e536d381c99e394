import type { ChatMessageInfo } from "@agentvine/client";
import type { ApiClient } from "./api-client.ts";
import { type Approval, type ExecutionContext, ParkRequested } from "./executor.ts";
import type { RealtimeClient } from "./realtime-client.ts";

/** How often a waiting request re-reads the conversation, in case a push was missed. */
const RESYNC_EVERY_MS = 15_000;

/** How long a request may wait before the run is parked (`park` is told which request); null: never. */
export type ParkAfter = { ms: number; park(requestId: string): void } | null;

const isAnswerTo = (requestId: string) => (m: Pick<ChatMessageInfo, "messageType" | "parentMessageId">) =>
  m.messageType === "response" && m.parentMessageId === requestId;

/** The answer to a request in the task's conversation, read page by page; null while there is none. */
export const findAnswer = async (api: ApiClient, taskId: string, requestId: string) => {
  let cursor: string | undefined;
  do {
    const page = await api.messages(taskId, cursor);
    const answer = page.items.find(isAnswerTo(requestId));
    if (answer) return answer;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return null;
};

/**
 * Posts a request in the task's chat and waits for a person's answer: pushed over the realtime
 * connection at once, or found by re-reading the conversation after a reconnect (or every
 * 15 s). Whichever comes first resolves it, exactly once. Once it has waited `parkAfter.ms`,
 * the run is parked (the park aborts `signal`).
 */
const awaitAnswer = async (
  api: ApiClient,
  realtime: RealtimeClient,
  taskId: string,
  post: () => Promise<ChatMessageInfo>,
  signal: AbortSignal,
  parkAfter: ParkAfter,
): Promise<ChatMessageInfo> => {
  const request = await post();
  const isAnswer = isAnswerTo(request.id);

  return new Promise<ChatMessageInfo>((resolve, reject) => {
    const cleanups: (() => void)[] = [];
    const settle = (fn: () => void) => {
      for (const cleanup of cleanups.splice(0)) cleanup();
      fn();
    };
    const resync = async () => {
      try {
        const answer = await findAnswer(api, taskId, request.id);
        if (answer) settle(() => resolve(answer));
      } catch {
        // The next resync tries again.
      }
    };
    const offEvent = realtime.on((event) => {
      if (event.type === "chat.message" && isAnswer(event.data)) settle(() => resolve(event.data));
    });
    const offResync = realtime.onResync(() => void resync());
    const timer = setInterval(() => void resync(), RESYNC_EVERY_MS);
    const parkTimer = parkAfter && setTimeout(() => parkAfter.park(request.id), parkAfter.ms);
    const onAbort = () => settle(() => reject(signal.reason));
    signal.addEventListener("abort", onAbort, { once: true });
    cleanups.push(
      offEvent,
      offResync,
      () => clearInterval(timer),
      () => parkTimer && clearTimeout(parkTimer),
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
  parkAfter: ParkAfter = null,
): Promise<string> =>
  (await awaitAnswer(api, realtime, taskId, () => api.ask(taskId, question), signal, parkAfter)).message;

/** Asks a person to allow a tool call (a chat request of kind "approval"); resolves with the decision. */
export const askApproval = async (
  api: ApiClient,
  realtime: RealtimeClient,
  taskId: string,
  request: { tool: string; input: string; message: string },
  signal: AbortSignal,
  parkAfter: ParkAfter = null,
): Promise<Approval> => {
  const answer = await awaitAnswer(
    api,
    realtime,
    taskId,
    () => api.approve(taskId, request),
    signal,
    parkAfter,
  );
  return answer.decision === "allow" ? { allow: true } : { allow: false, message: answer.message };
};

/**
 * A run's questions and approval requests, asked in the task's chat once its session is open
 * (`opening`). With `parkAfterMs` (0: never), a request that has waited that long parks the
 * run: `abort` is aborted with ParkRequested naming it.
 */
export const personLoop = (
  { api, realtime }: { api: ApiClient; realtime: RealtimeClient },
  {
    taskId,
    opening,
    abort,
    parkAfterMs,
  }: { taskId: string; opening: Promise<unknown>; abort: AbortController; parkAfterMs: number },
): Pick<ExecutionContext, "ask" | "approve"> => {
  const { signal } = abort;
  const parkAfter = parkAfterMs
    ? { ms: parkAfterMs, park: (requestId: string) => abort.abort(new ParkRequested(requestId)) }
    : null;
  return {
    ask: async (question) => {
      await opening;
      return askHuman(api, realtime, taskId, question, signal, parkAfter);
    },
    approve: async ({ tool, input, summary }) => {
      await opening;
      return askApproval(api, realtime, taskId, { tool, input, message: summary }, signal, parkAfter);
    },
  };
};
