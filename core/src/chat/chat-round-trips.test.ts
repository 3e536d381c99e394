import { describe, expect, it } from "vitest";
import { operator, type TestCtx, testCtx } from "../../../test/context.ts";
import { holding } from "../../../test/work-order-fixtures.ts";
import * as Auth from "../auth/service.ts";
import * as Realtime from "../realtime/service.ts";
import { beforeEachPush, watchPath, workerStatus } from "./fixtures.ts";
import * as Chat from "./service.ts";
import * as Store from "./store.ts";

/** A worker holding a task, its socket and a person's connected (and known: the claim published). */
const connected = async (name: string) => {
  const ctx = await testCtx(name);
  const { worker, task } = await holding(ctx);
  await Realtime.connect(ctx, "c-worker", await Auth.issueTicket(ctx, worker));
  await Realtime.connect(ctx, "c-human", await Auth.issueTicket(ctx, { ...operator, role: "operator" }));
  return { ctx, worker, task };
};

const ask = (ctx: TestCtx, worker: Awaited<ReturnType<typeof connected>>["worker"], taskId: string) =>
  Chat.ask(ctx, worker, { conversationId: taskId, message: "Which database?" });

describe("the human loop's round trips (after authentication)", () => {
  it("a question reaches people after two: the task read with the worker's waiting, then the message and the question", async () => {
    const { ctx, worker, task } = await connected("chat-rt-ask");
    const { pushes, log } = await watchPath(ctx, (c) => ask(c, worker, task.id));
    const push = pushes.find((p) => p.type === "chat.message" && p.connectionId === "c-human");
    expect(push?.depth).toBe(2);
    // Nothing else set up before it: the policy read beside the writes.
    expect(push?.started.sort()).toEqual([
      "GetItem policy",
      "GetItem task",
      "PutItem chatmessage",
      "PutItem question",
      "UpdateItem worker",
    ]);
    // Whoever sees the request pending sees the worker waiting, however late either write lands.
    expect(log.indexOf("end UpdateItem worker")).toBeLessThan(log.indexOf("start PutItem question"));
  });

  it("a worker refused goes back to what it was, and nothing opens", async () => {
    const { ctx, task } = await connected("chat-rt-refused");
    const other = await holding(ctx, "other");
    await expect(ask(ctx, other.worker, task.id)).rejects.toMatchObject({ code: "chat.forbidden" });
    await expect(ask(ctx, other.worker, "no-such-task")).rejects.toMatchObject({ kind: "not_found" });
    expect(await workerStatus(ctx, other.worker.principalId)).toBe("busy");
    expect(await Chat.pending(ctx)).toEqual([]);
  });

  it("at that push the request is stored and open, and its worker waiting", async () => {
    const { ctx, worker, task } = await connected("chat-rt-ask-state");
    let at: unknown;
    const watched = beforeEachPush(ctx, async (connectionId, event) => {
      if (event.type !== "chat.message" || connectionId !== "c-human") return;
      const request = await Store.loadMessage(ctx, task.id, event.data.id);
      at = {
        status: await workerStatus(ctx, worker.principalId),
        stored: request?.messageType,
        open: await Store.isOpen(ctx, event.data.id),
      };
    });
    await ask(watched, worker, task.id);
    expect(at).toEqual({ status: "waiting", stored: "request", open: true });
  });

  it("an answer reaches the worker after one: the write that takes the question, which it follows", async () => {
    const { ctx, worker, task } = await connected("chat-rt-answer");
    const request = await ask(ctx, worker, task.id);
    const input = { conversationId: task.id, parentMessageId: request.id, message: "PostgreSQL" };
    let openAtPush: boolean | undefined;
    // Its own read runs once the push's depth is taken.
    const watched = beforeEachPush(ctx, async (connectionId) => {
      if (connectionId === "c-worker") openAtPush = await Store.isOpen(ctx, request.id);
    });
    const { pushes } = await watchPath(watched, (c) => Chat.answer(c, operator, input));
    const push = pushes.find((p) => p.type === "chat.message" && p.connectionId === "c-worker");
    expect(push?.depth).toBe(1);
    // The reads alongside and the take: the answer's own writes start once the push is on its way.
    expect(push?.started.sort()).toEqual(["DeleteItem question", "GetItem chatmessage", "GetItem task"]);
    expect(openAtPush).toBe(false);
  });
});
