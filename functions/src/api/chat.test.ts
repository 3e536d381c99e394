import { describe, expect, it } from "vitest";
import { claimedTask, expectError, expectInvalid, fieldsOf, useApiHarness } from "../../../test/api.ts";

const M = "/api/v1/chat/messages";

describe("chat API", () => {
  const h = useApiHarness("api-chat");
  /** One message on a conversation; `extra` holds what some types need (a parentMessageId). */
  const say = (token: string, conversationId: string, messageType: string, message: string, extra = {}) =>
    h.call("POST", M, token, { conversationId, message, messageType, ...extra });

  it("a worker asks, people see it pending, a person answers once", async () => {
    const { task, worker } = await claimedTask(h, { title: "Needs a decision" });
    const ask = await say(worker.token, task.id, "request", "  Postgres or SQLite?  ");
    expect(ask.status).toBe(201);
    expect(ask.body).toMatchObject({
      conversationId: task.id,
      senderType: "worker",
      senderId: worker.worker.id,
      message: "Postgres or SQLite?",
      messageType: "request",
      kind: "question",
      parentMessageId: null,
      answeredAt: null,
      answerId: null,
    });
    expect((await h.call("GET", `/api/v1/workers/${worker.worker.id}`, h.tokens.viewer)).body.status).toBe(
      "waiting",
    );

    h.ctx.clock.advance(30_000);
    const pending = await h.call("GET", "/api/v1/chat/pending", h.tokens.viewer);
    expect(pending.status).toBe(200);
    expect(pending.body.items).toContainEqual({
      requestId: ask.body.id,
      conversationId: task.id,
      taskId: task.id,
      workerId: worker.worker.id,
      message: "Postgres or SQLite?",
      kind: "question",
      tool: null,
      input: null,
      createdAt: ask.body.createdAt,
      waitingMs: 30_000,
    });

    // The sender is whoever the token belongs to; a body cannot say otherwise.
    const answer = await h.call("POST", M, h.tokens.operator, {
      conversationId: task.id,
      message: "SQLite",
      messageType: "response",
      parentMessageId: ask.body.id,
      senderType: "worker",
      senderId: worker.worker.id,
    });
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({
      senderType: "human",
      messageType: "response",
      parentMessageId: ask.body.id,
      message: "SQLite",
    });
    expect(answer.body.senderId).not.toBe(worker.worker.id);
    expect((await h.call("GET", `/api/v1/workers/${worker.worker.id}`, h.tokens.viewer)).body.status).toBe(
      "busy",
    );
    const after = await h.call("GET", "/api/v1/chat/pending", h.tokens.viewer);
    expect(after.body.items.map((q: { requestId: string }) => q.requestId)).not.toContain(ask.body.id);

    const twice = await say(h.tokens.admin, task.id, "response", "Postgres", {
      parentMessageId: ask.body.id,
    });
    expectError(twice, 409, "chat.already_answered");
    expect(twice.body.error.details).toEqual({ answerId: answer.body.id });

    const thread = await h.call("GET", `${M}?conversationId=${task.id}`, h.tokens.viewer);
    expect(thread.status).toBe(200);
    expect(thread.body.items.map((m: { id: string }) => m.id)).toEqual([ask.body.id, answer.body.id]);
    expect(thread.body.items[0]).toMatchObject({
      answerId: answer.body.id,
      answeredAt: answer.body.createdAt,
    });
    expect(thread.body.nextCursor).toBeNull();
    const desc = await h.call("GET", `${M}?conversationId=${task.id}&order=desc&limit=1`, worker.token);
    expect(desc.body.items.map((m: { id: string }) => m.id)).toEqual([answer.body.id]);
    expect(desc.body.nextCursor).toEqual(expect.any(String));
  });

  it("workers post status messages; they do not open questions", async () => {
    const { task, worker } = await claimedTask(h);
    const res = await say(worker.token, task.id, "status", "Running the tests");
    expect(res.status).toBe(201);
    expect(res.body.messageType).toBe("status");
    const pending = await h.call("GET", "/api/v1/chat/pending", h.tokens.viewer);
    expect(pending.body.items.map((q: { requestId: string }) => q.requestId)).not.toContain(res.body.id);
    expect((await h.call("GET", `/api/v1/workers/${worker.worker.id}`, h.tokens.viewer)).body.status).toBe(
      "busy",
    );
  });

  it("403: people cannot ask, workers cannot answer, nor speak on tasks they do not hold; viewers read only", async () => {
    const { task, worker } = await claimedTask(h);
    const ask = await say(worker.token, task.id, "request", "Which port?");
    const answer = { parentMessageId: ask.body.id };
    expectError(await say(h.tokens.operator, task.id, "request", "Q?"), 403, "chat.forbidden");
    expectError(await say(h.tokens.admin, task.id, "request", "Q?"), 403, "chat.forbidden");
    expectError(await say(worker.token, task.id, "response", "8080", answer), 403, "chat.forbidden");
    const outsider = await h.registerWorker("outsider");
    expectError(await say(outsider.token, task.id, "status", "hi"), 403, "chat.forbidden");
    expectError(await say(h.tokens.viewer, task.id, "response", "8080", answer), 403, "auth.forbidden");
    expectError(await say(h.tokens.enrolment, task.id, "status", "x"), 403, "auth.forbidden");
    // Nothing of that was written; the question is still open.
    const thread = await h.call("GET", `${M}?conversationId=${task.id}`, h.tokens.viewer);
    expect(thread.body.items).toHaveLength(1);
    const pending = await h.call("GET", "/api/v1/chat/pending", h.tokens.viewer);
    expect(pending.body.items.map((q: { requestId: string }) => q.requestId)).toContain(ask.body.id);
  });

  it("400: bad bodies name the field", async () => {
    const { task, worker } = await claimedTask(h);
    const base = { conversationId: task.id, message: "hello", messageType: "status" };
    expectInvalid(await h.call("POST", M, worker.token, { ...base, message: "   " }), "message");
    expectInvalid(await h.call("POST", M, worker.token, { ...base, message: "m".repeat(16_001) }), "message");
    expectInvalid(await h.call("POST", M, worker.token, { ...base, messageType: "shout" }), "messageType");
    expectInvalid(
      await h.call("POST", M, worker.token, { ...base, conversationId: undefined }),
      "conversationId",
    );
    expectInvalid(await h.call("POST", M, worker.token, '{"message":'), "body");

    // Domain checks on the answer name the field the same way (one code for bad input).
    const noParent = await h.call("POST", M, h.tokens.operator, { ...base, messageType: "response" });
    expectInvalid(noParent, "parentMessageId");
    expect(Object.keys(fieldsOf(noParent))).toEqual(["parentMessageId"]);
    const status = await h.call("POST", M, worker.token, base);
    const notARequest = await h.call("POST", M, h.tokens.operator, {
      ...base,
      messageType: "response",
      parentMessageId: status.body.id,
    });
    expectInvalid(notARequest, "parentMessageId");
    expect(Object.keys(fieldsOf(notARequest))).toEqual(["parentMessageId"]);
  });

  it("404 for an unknown conversation; 400 without one; 401 without a token", async () => {
    expectError(
      await h.call("GET", `${M}?conversationId=no-such-task`, h.tokens.viewer),
      404,
      "task.not_found",
    );
    expectError(await say(h.tokens.operator, "no-such-task", "status", "x"), 404, "task.not_found");
    expectInvalid(await h.call("GET", M, h.tokens.viewer), "conversationId");
    expectInvalid(await h.call("GET", `${M}?conversationId=x&order=sideways`, h.tokens.viewer), "order");
    expectError(await h.call("GET", `${M}?conversationId=x`), 401);
    expectError(await h.call("GET", "/api/v1/chat/pending"), 401);
    expectError(
      await h.call("POST", M, undefined, { conversationId: "x", message: "x", messageType: "status" }),
      401,
    );
  });

  it("a worker that finished its task can no longer speak in its conversation", async () => {
    const { task, worker, workOrder } = await claimedTask(h);
    await h.call("POST", "/api/v1/queue/complete", worker.token, { workOrderId: workOrder.id });
    expectError(await say(worker.token, task.id, "request", "one more"), 403, "chat.forbidden");
    // People still can.
    const note = await say(h.tokens.operator, task.id, "status", "Thanks!");
    expect(note.status).toBe(201);
  });

  it("pending questions are listed oldest first", async () => {
    const first = await claimedTask(h);
    const second = await claimedTask(h);
    const a = await say(first.worker.token, first.task.id, "request", "first?");
    h.ctx.clock.advance(1000);
    const b = await say(second.worker.token, second.task.id, "request", "second?");
    const pending = await h.call("GET", "/api/v1/chat/pending", h.tokens.viewer);
    const ids = pending.body.items.map((q: { requestId: string }) => q.requestId);
    expect(ids.indexOf(a.body.id)).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf(a.body.id)).toBeLessThan(ids.indexOf(b.body.id));
    const waits = pending.body.items.map((q: { waitingMs: number }) => q.waitingMs);
    expect([...waits].sort((x, y) => y - x)).toEqual(waits);
  });
});
