/** Test fixtures for the chat tests (imported by tests only). */
import { randomUUID } from "node:crypto";
import type { TestCtx } from "../../../test/context.ts";
import { operationName } from "../../../test/dynamo-operations.ts";
import type { PushPort } from "../ports/push.ts";
import type { RealtimeEvent } from "../realtime/events.ts";

export const workerStatus = async (ctx: TestCtx, id: string) =>
  (await ctx.db.worker.get({ id }).go()).data?.status;

/** A context whose pushes first go through `onPush` (given the connection and the event). */
export const beforeEachPush = (
  ctx: TestCtx,
  onPush: (connectionId: string, event: RealtimeEvent) => unknown,
): TestCtx => {
  const push: PushPort = {
    async post(connectionId, data) {
      await onPush(connectionId, JSON.parse(data) as RealtimeEvent);
      return ctx.push.post(connectionId, data);
    },
  };
  return { ...ctx, push };
};

export interface Push {
  connectionId: string;
  type: string;
  /** The DynamoDB round trips `run` had waited for one after another when this push went out. */
  depth: number;
  /** The operations `run` had started by then, in order. */
  started: string[];
}

/**
 * What `run` does, watched: its pushes, each with how many DynamoDB round trips it waited for in
 * sequence (an operation is one deeper than the deepest finished when it started, and a push as
 * deep as the deepest finished when it went out) and which operations had started by then; and
 * the log of each operation's start and end (`start PutItem question`), in order. Connection
 * look-ups are left out: with the connections known (as after any earlier publish), a push
 * waits for none (Realtime's catch-ups run alongside).
 */
export const watchPath = async (ctx: TestCtx, run: (ctx: TestCtx) => Promise<unknown>) => {
  let deepest = 0;
  const started: string[] = [];
  const log: string[] = [];
  const name = `watchPath-${randomUUID()}`;
  ctx.dynamo.middlewareStack.add(
    (next, context) => async (args) => {
      const op = operationName(context.commandName, args.input as Record<string, unknown>);
      if (op === "Query connection") return next(args);
      started.push(op);
      log.push(`start ${op}`);
      const depth = deepest + 1;
      try {
        return await next(args);
      } finally {
        deepest = Math.max(deepest, depth);
        log.push(`end ${op}`);
      }
    },
    { step: "initialize", name },
  );
  const pushes: Push[] = [];
  try {
    await run(
      beforeEachPush(ctx, (connectionId, { type }) =>
        pushes.push({ connectionId, type, depth: deepest, started: [...started] }),
      ),
    );
  } finally {
    ctx.dynamo.middlewareStack.remove(name);
  }
  return { pushes, log };
};
