import { describe, expect, it } from "vitest";
import { operator, testCtx } from "../../../test/context.ts";
import { holding } from "../../../test/work-order-fixtures.ts";
import * as Chat from "./service.ts";

/** Requests stored before approvals existed carry no kind: they read and answer as questions. */
describe("chat: requests from before approvals", () => {
  it("a request stored without kind is a pending question, answered with a message", async () => {
    const ctx = await testCtx("chat-legacy");
    const { worker, task } = await holding(ctx);
    const createdAt = new Date(ctx.clock.now()).toISOString();
    const request = {
      id: "0190-legacy-request",
      conversationId: task.id,
      senderType: "worker",
      senderId: worker.principalId,
      message: "Old question?",
      messageType: "request",
      createdAt,
    } as const;
    await ctx.db.chatMessage.create(request).go();
    await ctx.db.question
      .create({
        requestId: request.id,
        conversationId: task.id,
        workerId: worker.principalId,
        message: request.message,
        createdAt,
      })
      .go();

    expect(await Chat.pending(ctx)).toMatchObject([{ requestId: request.id, kind: "question", tool: null }]);
    expect(await Chat.get(ctx, task.id, request.id)).toMatchObject({ kind: "question", decision: null });
    const on = { conversationId: task.id, parentMessageId: request.id };
    await expect(Chat.answer(ctx, operator, { ...on, decision: "allow" })).rejects.toMatchObject({
      details: { fields: { decision: expect.any(String) } },
    });
    const answer = await Chat.answer(ctx, operator, { ...on, message: "Yes" });
    expect(answer).toMatchObject({ message: "Yes", parentMessageId: request.id, kind: null, decision: null });
    expect(await Chat.pending(ctx)).toEqual([]);
  });
});
