import { describe, expect, it } from "vitest";
import { claimedTask, expectError, expectInvalid, fieldsOf, useApiHarness } from "../../../test/api.ts";

const M = "/api/v1/chat/messages";

/** POST /chat/messages dispatches by messageType: request = ask, response = answer, status = note. */
describe("chat API: ask, answer, note", () => {
  const h = useApiHarness("api-chat-intents");

  const ask = (token: string, conversationId: string, message = "Which port?") =>
    h.call("POST", M, token, { conversationId, message, messageType: "request" });

  it("409 chat.question_closed: answering a question whose work ended", async () => {
    const { task, worker, workOrder } = await claimedTask(h);
    const question = await ask(worker.token, task.id);
    expect(question.status).toBe(201);
    const failed = await h.call("POST", "/api/v1/queue/fail", worker.token, {
      workOrderId: workOrder.id,
      reason: "Gave up",
    });
    expect(failed.status, JSON.stringify(failed.body)).toBe(200);
    const late = await h.call("POST", M, h.tokens.operator, {
      conversationId: task.id,
      message: "8080",
      messageType: "response",
      parentMessageId: question.body.id,
    });
    expectError(late, 409, "chat.question_closed");
    expect(late.body.error.details).toEqual({ closedAt: expect.any(String) });
    const thread = await h.call("GET", `${M}?conversationId=${task.id}`, h.tokens.viewer);
    expect(thread.body.items.map((m: { id: string }) => m.id)).toEqual([question.body.id]);
  });

  it("403: a worker cannot answer another worker's question, on either task", async () => {
    const asker = await claimedTask(h);
    const other = await claimedTask(h);
    const question = await ask(asker.worker.token, asker.task.id);
    for (const conversationId of [asker.task.id, other.task.id]) {
      expectError(
        await h.call("POST", M, other.worker.token, {
          conversationId,
          message: "8080",
          messageType: "response",
          parentMessageId: question.body.id,
        }),
        403,
        "chat.forbidden",
      );
    }
    const pending = await h.call("GET", "/api/v1/chat/pending", h.tokens.viewer);
    expect(pending.body.items.map((q: { requestId: string }) => q.requestId)).toContain(question.body.id);
  });

  it("400 validation_failed naming parentMessageId: only a response has one, and it must be a request here", async () => {
    const { task, worker } = await claimedTask(h);
    const question = await ask(worker.token, task.id);
    for (const messageType of ["request", "status"]) {
      const res = await h.call("POST", M, worker.token, {
        conversationId: task.id,
        message: "x",
        messageType,
        parentMessageId: question.body.id,
      });
      expectInvalid(res, "parentMessageId");
      expect(Object.keys(fieldsOf(res))).toEqual(["parentMessageId"]);
    }
    const elsewhere = await claimedTask(h);
    const unknown = await h.call("POST", M, h.tokens.operator, {
      conversationId: elsewhere.task.id,
      message: "8080",
      messageType: "response",
      parentMessageId: question.body.id,
    });
    expectInvalid(unknown, "parentMessageId");
    expect(unknown.body.error.message).toMatch(/parentMessageId/);
    // Nothing was answered: the question is still open and its worker still waiting.
    const pending = await h.call("GET", "/api/v1/chat/pending", h.tokens.viewer);
    expect(pending.body.items.map((q: { requestId: string }) => q.requestId)).toContain(question.body.id);
    expect((await h.call("GET", `/api/v1/workers/${worker.worker.id}`, h.tokens.viewer)).body.status).toBe(
      "waiting",
    );
  });
});
