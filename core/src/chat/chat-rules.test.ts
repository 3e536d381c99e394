import { describe, expect, it } from "vitest";
import { operator, testCtx, workerActor } from "../../../test/context.ts";
import { holding } from "../../../test/work-order-fixtures.ts";
import * as Auth from "../auth/service.ts";
import * as Realtime from "../realtime/service.ts";
import { WorkOrder as Queue } from "../work-order/index.ts";
import { workerStatus } from "./fixtures.ts";
import { ListMessagesQuery } from "./schema.ts";
import * as Chat from "./service.ts";

const thread = async (ctx: Parameters<typeof Chat.list>[0], conversationId: string) =>
  (await Chat.list(ctx, ListMessagesQuery.parse({ conversationId }))).items.map((m) => m.id);

describe("chat: who may ask, answer, note", () => {
  it("a worker speaks only on the task it holds, and only asks", async () => {
    const ctx = await testCtx("chat-worker-forbidden");
    const { worker, task } = await holding(ctx, "holder");
    const stranger = await workerActor(ctx, "stranger");
    const on = { conversationId: task.id, message: "hi" };
    await expect(Chat.ask(ctx, stranger, on)).rejects.toMatchObject({ code: "chat.forbidden" });
    await expect(Chat.note(ctx, stranger, on)).rejects.toMatchObject({ code: "chat.forbidden" });
    const request = await Chat.ask(ctx, worker, { conversationId: task.id, message: "?" });
    // Nobody answers as a worker, not even the asker.
    await expect(Chat.answer(ctx, worker, { ...on, parentMessageId: request.id })).rejects.toMatchObject({
      kind: "forbidden",
      code: "chat.forbidden",
    });
    expect(await workerStatus(ctx, stranger.principalId)).toBe("idle");
    expect(await workerStatus(ctx, worker.principalId)).toBe("waiting");
    expect((await Chat.pending(ctx)).map((q) => q.requestId)).toEqual([request.id]);
    expect(await thread(ctx, task.id)).toEqual([request.id]);
  });

  it("a worker holding another task cannot answer this task's question", async () => {
    const ctx = await testCtx("chat-worker-answers-other");
    const asker = await holding(ctx, "asker");
    const other = await holding(ctx, "other");
    const request = await Chat.ask(ctx, asker.worker, { conversationId: asker.task.id, message: "?" });
    for (const conversationId of [asker.task.id, other.task.id]) {
      await expect(
        Chat.answer(ctx, other.worker, { conversationId, message: "42", parentMessageId: request.id }),
      ).rejects.toMatchObject({ kind: "forbidden", code: "chat.forbidden" });
    }
    expect(await workerStatus(ctx, asker.worker.principalId)).toBe("waiting");
    expect((await Chat.pending(ctx)).map((q) => q.requestId)).toEqual([request.id]);
  });

  it("a worker that finished its task can no longer post on it; people still can", async () => {
    const ctx = await testCtx("chat-after-complete");
    const { worker, task, wo } = await holding(ctx);
    await Queue.complete(ctx, worker.principalId, { workOrderId: wo.id });
    const on = { conversationId: task.id, message: "one more" };
    await expect(Chat.ask(ctx, worker, on)).rejects.toMatchObject({ code: "chat.forbidden" });
    await expect(Chat.note(ctx, worker, on)).rejects.toMatchObject({ code: "chat.forbidden" });
    expect((await Chat.note(ctx, operator, { ...on, message: "Thanks!" })).senderType).toBe("human");
  });

  it("a person cannot ask: nothing is written and the worker stays busy", async () => {
    const ctx = await testCtx("chat-person-asks");
    const { worker, task } = await holding(ctx);
    await expect(Chat.ask(ctx, operator, { conversationId: task.id, message: "?" })).rejects.toMatchObject({
      kind: "forbidden",
      code: "chat.forbidden",
    });
    expect(await thread(ctx, task.id)).toEqual([]);
    expect(await Chat.pending(ctx)).toEqual([]);
    expect(await workerStatus(ctx, worker.principalId)).toBe("busy");
  });

  it("an answer must point at a request of its conversation: validation_failed naming parentMessageId", async () => {
    const ctx = await testCtx("chat-answer-parent");
    const { worker, task } = await holding(ctx);
    const status = await Chat.note(ctx, worker, { conversationId: task.id, message: "working" });
    const other = await holding(ctx, "other");
    const elsewhere = await Chat.ask(ctx, other.worker, { conversationId: other.task.id, message: "?" });
    for (const parentMessageId of [status.id, elsewhere.id, "no-such-message"]) {
      await expect(
        Chat.answer(ctx, operator, { conversationId: task.id, message: "answer", parentMessageId }),
      ).rejects.toMatchObject({
        kind: "invalid",
        code: "validation_failed",
        details: { fields: { parentMessageId: expect.stringContaining(parentMessageId) } },
      });
    }
    // The other conversation's question is still open.
    expect((await Chat.pending(ctx)).map((q) => q.requestId)).toEqual([elsewhere.id]);
    await expect(
      Chat.note(ctx, operator, { conversationId: "no-such-task", message: "x" }),
    ).rejects.toMatchObject({ kind: "not_found", code: "task.not_found" });
  });

  it("a closed question refuses its answer, even one read before it closed", async () => {
    const ctx = await testCtx("chat-answer-closed");
    const { worker, task, wo } = await holding(ctx);
    const request = await Chat.ask(ctx, worker, { conversationId: task.id, message: "Redis?" });
    await Queue.release(ctx, worker.principalId, wo.id);
    await expect(
      Chat.answer(ctx, operator, { conversationId: task.id, message: "Yes", parentMessageId: request.id }),
    ).rejects.toMatchObject({
      kind: "conflict",
      code: "chat.question_closed",
      details: { closedAt: expect.any(String) },
    });
    expect(await thread(ctx, task.id)).toEqual([request.id]);
  });

  it("notes: a person's reaches the worker holding the task; a worker's reaches only people", async () => {
    const ctx = await testCtx("chat-note-audience");
    const { worker, task } = await holding(ctx);
    const bystander = (await holding(ctx, "bystander")).worker;
    await Realtime.connect(ctx, "c-worker", await Auth.issueTicket(ctx, worker));
    await Realtime.connect(ctx, "c-bystander", await Auth.issueTicket(ctx, bystander));
    await Realtime.connect(ctx, "c-human", await Auth.issueTicket(ctx, { ...operator, role: "operator" }));
    const heard = (id: string) =>
      ctx.pushed
        .filter((p) => p.event.type === "chat.message" && (p.event.data as { id: string }).id === id)
        .map((p) => p.connectionId)
        .sort();
    const fromPerson = await Chat.note(ctx, operator, { conversationId: task.id, message: "fyi" });
    expect(heard(fromPerson.id)).toEqual(["c-human", "c-worker"]);
    const fromWorker = await Chat.note(ctx, worker, { conversationId: task.id, message: "50%" });
    expect(fromWorker).toMatchObject({ senderType: "worker", messageType: "status", parentMessageId: null });
    expect(heard(fromWorker.id)).toEqual(["c-human"]);
    // A note is not a question: nothing pending, the worker keeps working.
    expect(await Chat.pending(ctx)).toEqual([]);
    expect(await workerStatus(ctx, worker.principalId)).toBe("busy");
  });
});
