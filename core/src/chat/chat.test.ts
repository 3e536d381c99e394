import { describe, expect, it } from "vitest";
import { operator, testCtx } from "../../../test/context.ts";
import { holding } from "../../../test/work-order-fixtures.ts";
import * as Auth from "../auth/service.ts";
import type { Actor } from "../context.ts";
import * as Realtime from "../realtime/service.ts";
import { WorkOrder as Queue } from "../work-order/index.ts";
import { workerStatus } from "./fixtures.ts";
import { ListMessagesQuery } from "./schema.ts";
import * as Chat from "./service.ts";

describe("chat", () => {
  it("a question puts the worker in waiting; the first answer returns it to busy", async () => {
    const ctx = await testCtx("chat-loop");
    const { worker, task } = await holding(ctx);
    await Realtime.connect(ctx, "c-worker", await Auth.issueTicket(ctx, worker));
    await Realtime.connect(ctx, "c-human", await Auth.issueTicket(ctx, { ...operator, role: "operator" }));
    expect(await workerStatus(ctx, worker.principalId)).toBe("busy");

    const request = await Chat.ask(ctx, worker, {
      conversationId: task.id,
      message: "Which database should I use?",
    });
    expect(request).toMatchObject({
      senderType: "worker",
      senderId: worker.principalId,
      messageType: "request",
      kind: "question",
      tool: null,
      input: null,
      parentMessageId: null,
      answeredAt: null,
    });
    expect(await workerStatus(ctx, worker.principalId)).toBe("waiting");
    // The question reached the person; workers do not get other workers' questions.
    const chatPushes = () => ctx.pushed.filter((p) => p.event.type === "chat.message");
    expect(chatPushes().map((p) => p.connectionId)).toEqual(["c-human"]);

    ctx.clock.advance(90_000);
    const pending = await Chat.pending(ctx);
    expect(pending).toEqual([
      {
        requestId: request.id,
        conversationId: task.id,
        taskId: task.id,
        workerId: worker.principalId,
        message: "Which database should I use?",
        kind: "question",
        tool: null,
        input: null,
        createdAt: request.createdAt,
        waitingMs: 90_000,
      },
    ]);

    ctx.pushed.length = 0;
    const answer = await Chat.answer(ctx, operator, {
      conversationId: task.id,
      message: "PostgreSQL",
      parentMessageId: request.id,
    });
    expect(answer).toMatchObject({
      senderType: "human",
      senderId: operator.principalId,
      parentMessageId: request.id,
    });
    expect(await workerStatus(ctx, worker.principalId)).toBe("busy");
    expect(await Chat.pending(ctx)).toEqual([]);
    const answered = await Chat.get(ctx, task.id, request.id);
    expect(answered.answeredAt).toBe(new Date(ctx.clock.now()).toISOString());
    expect(answered.answerId).toBe(answer.id);
    // The answer was pushed to the asking worker at once (and to the person).
    const answerPushes = chatPushes().filter((p) => (p.event.data as { id: string }).id === answer.id);
    expect(answerPushes.map((p) => p.connectionId).sort()).toEqual(["c-human", "c-worker"]);

    // A second answer loses, and changes nothing.
    await expect(
      Chat.answer(ctx, operator, {
        conversationId: task.id,
        message: "MySQL",
        parentMessageId: request.id,
      }),
    ).rejects.toMatchObject({ kind: "conflict", code: "chat.already_answered" });
    expect((await Chat.get(ctx, task.id, request.id)).answerId).toBe(answer.id);

    const messages = await Chat.list(ctx, ListMessagesQuery.parse({ conversationId: task.id }));
    expect(messages.items.map((m) => m.message)).toEqual(["Which database should I use?", "PostgreSQL"]);
  });

  it("two people answering at once: one answer wins", async () => {
    const ctx = await testCtx("chat-answer-race");
    const { worker, task } = await holding(ctx);
    const request = await Chat.ask(ctx, worker, {
      conversationId: task.id,
      message: "?",
    });
    const other: Actor = { role: "admin", principalId: "adm-1", name: "Ada" };
    const results = await Promise.allSettled(
      [operator, other].map((who) =>
        Chat.answer(ctx, who, {
          conversationId: task.id,
          message: `from ${who.name}`,
          parentMessageId: request.id,
        }),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.find((r) => r.status === "rejected")).toMatchObject({
      reason: { code: "chat.already_answered" },
    });
    const responses = (
      await Chat.list(ctx, ListMessagesQuery.parse({ conversationId: task.id }))
    ).items.filter((m) => m.messageType === "response");
    expect(responses).toHaveLength(1);
    expect((await Chat.get(ctx, task.id, request.id)).answerId).toBe(responses[0]!.id);
  });

  it("pending questions are listed oldest first", async () => {
    const ctx = await testCtx("chat-pending-order");
    const a = await holding(ctx, "a");
    const b = await holding(ctx, "b");
    const qa = await Chat.ask(ctx, a.worker, {
      conversationId: a.task.id,
      message: "a?",
    });
    ctx.clock.advance(10_000);
    const qb = await Chat.ask(ctx, b.worker, {
      conversationId: b.task.id,
      message: "b?",
    });
    ctx.clock.advance(5_000);
    const pending = await Chat.pending(ctx);
    expect(pending.map((q) => [q.requestId, q.waitingMs])).toEqual([
      [qa.id, 15_000],
      [qb.id, 5_000],
    ]);
  });

  it("lists a conversation in order, with pagination and newest-first on request", async () => {
    const ctx = await testCtx("chat-list");
    const { worker, task } = await holding(ctx);
    const sent: string[] = [];
    for (let i = 0; i < 5; i++) {
      sent.push(
        (
          await Chat.note(ctx, i % 2 ? operator : worker, {
            conversationId: task.id,
            message: `m${i}`,
          })
        ).id,
      );
      ctx.clock.advance(1000);
    }
    const all = await Chat.list(ctx, ListMessagesQuery.parse({ conversationId: task.id }));
    expect(all.items.map((m) => m.id)).toEqual(sent);
    const first = await Chat.list(ctx, ListMessagesQuery.parse({ conversationId: task.id, limit: 3 }));
    expect(first.items.map((m) => m.message)).toEqual(["m0", "m1", "m2"]);
    const rest = await Chat.list(
      ctx,
      ListMessagesQuery.parse({ conversationId: task.id, limit: 3, cursor: first.nextCursor }),
    );
    expect(rest.items.map((m) => m.message)).toEqual(["m3", "m4"]);
    const desc = await Chat.list(ctx, ListMessagesQuery.parse({ conversationId: task.id, order: "desc" }));
    expect(desc.items.map((m) => m.message)).toEqual(["m4", "m3", "m2", "m1", "m0"]);
    await expect(Chat.list(ctx, ListMessagesQuery.parse({ conversationId: "nope" }))).rejects.toMatchObject({
      kind: "not_found",
    });
  });

  it("closes a question left open when its work ends, and refuses a late answer", async () => {
    const ctx = await testCtx("chat-close");
    const { worker, task, wo } = await holding(ctx);
    const request = await Chat.ask(ctx, worker, {
      conversationId: task.id,
      message: "Redis?",
    });
    await Queue.fail(ctx, worker.principalId, { workOrderId: wo.id, reason: "Gave up" });

    expect(await Chat.pending(ctx)).toEqual([]);
    const closed = await Chat.get(ctx, task.id, request.id);
    expect(closed).toMatchObject({ answeredAt: null, closedReason: "The task failed: Gave up" });
    expect(closed.closedAt).not.toBeNull();
    await expect(
      Chat.answer(ctx, operator, {
        conversationId: task.id,
        message: "Yes",
        parentMessageId: request.id,
      }),
    ).rejects.toMatchObject({ code: "chat.question_closed" });
  });
});
