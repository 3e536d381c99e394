import { z } from "zod";
import { ActivityInfo } from "../activity/schema.ts";
import { ChatMessageInfo } from "../chat/schema.ts";
import { ExecutionInfo } from "../execution/schema.ts";
import { SessionInfo } from "../session/schema.ts";
import { TaskInfo } from "../task/schema.ts";
import { QueueStats } from "../work-order/schema.ts";
import { WorkerInfo } from "../worker/schema.ts";

const event = <T extends string, D extends z.ZodType>(type: T, data: D) =>
  z.object({ type: z.literal(type), data });

/**
 * Every realtime event as clients receive it: `{ type, data }`, the type deciding the data's
 * schema. One union for the publisher, the gateway, the web UI and the worker, so adding an
 * event (or a field to one) is typed everywhere at once.
 */
export const RealtimeEvent = z.discriminatedUnion("type", [
  event("task.updated", TaskInfo),
  event("worker.updated", WorkerInfo),
  event("session.updated", SessionInfo),
  event("execution.updated", ExecutionInfo),
  event("chat.message", ChatMessageInfo),
  event("queue.stats", QueueStats),
  event("activity.created", ActivityInfo),
  event("pong", z.object({})),
]);
export type RealtimeEvent = z.infer<typeof RealtimeEvent>;
export type EventType = RealtimeEvent["type"];
/** The data of one event type: `EventData<"task.updated">` is a TaskInfo. */
export type EventData<T extends EventType> = Extract<RealtimeEvent, { type: T }>["data"];

/** What a client sends: a ping keeps the socket alive and proves it is (the reply is a pong). */
export const ClientMessage = z.object({ type: z.literal("ping") });
export type ClientMessage = z.infer<typeof ClientMessage>;

/** Who gets an event: every person watching, and/or particular workers (by worker id). */
export interface Audience {
  humans: boolean;
  workerIds?: string[];
}
