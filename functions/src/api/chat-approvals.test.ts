import * as Auth from "@agentvine/core/auth/service";
import * as Realtime from "@agentvine/core/realtime/service";
import { describe, expect, it } from "vitest";
import { claimedTask, expectError, expectInvalid, useApiHarness } from "../../../test/api.ts";

const M = "/api/v1/chat/messages";
const INPUT = JSON.stringify({ command: "npm test" });

/** A worker asks leave to run a command; people allow or deny it through the chat. */
describe("chat API: approvals", () => {
  const h = useApiHarness("api-chat-approvals");

  const askApproval = (token: string, conversationId: string, extra: Record<string, unknown> = {}) =>
    h.call("POST", M, token, {
      conversationId,
      messageType: "request",
      kind: "approval",
      tool: "Bash",
      input: INPUT,
      message: "Run: npm test",
      ...extra,
    });
  const answer = (parentMessageId: string, conversationId: string, body: Record<string, unknown>) =>
    h.call("POST", M, h.tokens.operator, {
      conversationId,
      messageType: "response",
      parentMessageId,
      ...body,
    });
  const statusOf = async (workerId: string) =>
    (await h.call("GET", `/api/v1/workers/${workerId}`, h.tokens.viewer)).body.status;
  const pendingIds = async () =>
    (await h.call("GET", "/api/v1/chat/pending", h.tokens.viewer)).body.items.map(
      (q: { requestId: string }) => q.requestId,
    );

  it("ask -> pending with tool and input -> allow: the decision is stored; a second answer is refused", async () => {
    const { task, worker } = await claimedTask(h, { title: "Needs leave" });
    await Realtime.connect(
      h.ctx,
      "c-person",
      await Auth.issueTicket(h.ctx, { role: "viewer", principalId: "v", name: "V" }),
    );
    const asked = await askApproval(worker.token, task.id);
    expect(asked.status, JSON.stringify(asked.body)).toBe(201);
    expect(asked.body).toMatchObject({
      messageType: "request",
      kind: "approval",
      tool: "Bash",
      input: INPUT,
      message: "Run: npm test",
      decision: null,
    });
    expect(await statusOf(worker.worker.id)).toBe("waiting");
    // Pushed to the people watching like a question, with its tool and input.
    const pushed = h.ctx.pushed.find((p) => (p.event.data as { id?: string }).id === asked.body.id);
    expect(pushed?.event).toMatchObject({ type: "chat.message", data: { kind: "approval", tool: "Bash" } });

    h.ctx.clock.advance(5000);
    const pending = await h.call("GET", "/api/v1/chat/pending", h.tokens.viewer);
    expect(pending.body.items).toContainEqual({
      requestId: asked.body.id,
      conversationId: task.id,
      taskId: task.id,
      workerId: worker.worker.id,
      message: "Run: npm test",
      kind: "approval",
      tool: "Bash",
      input: INPUT,
      createdAt: asked.body.createdAt,
      waitingMs: 5000,
    });

    const allowed = await answer(asked.body.id, task.id, { decision: "allow" });
    expect(allowed.status, JSON.stringify(allowed.body)).toBe(201);
    expect(allowed.body).toMatchObject({
      messageType: "response",
      parentMessageId: asked.body.id,
      decision: "allow",
      message: "Allowed",
      kind: null,
    });
    expect(await statusOf(worker.worker.id)).toBe("busy");
    expect(await pendingIds()).not.toContain(asked.body.id);

    const again = await answer(asked.body.id, task.id, { decision: "deny", message: "No" });
    expectError(again, 409, "chat.already_answered");
    const thread = await h.call("GET", `${M}?conversationId=${task.id}`, h.tokens.viewer);
    expect(thread.body.items).toHaveLength(2);
    expect(thread.body.items[0]).toMatchObject({ answerId: allowed.body.id });
    const history = await h.call("GET", `/api/v1/tasks/${task.id}/history`, h.tokens.viewer);
    expect(history.body.items[0].summary).toBe('Olivia operator allowed Bash on "Needs leave"');
  });

  it("deny: with the person's reason, or 'Denied' when they give none", async () => {
    const { task, worker } = await claimedTask(h);
    const first = await askApproval(worker.token, task.id);
    const denied = await answer(first.body.id, task.id, { decision: "deny", message: "Use npm run lint" });
    expect(denied.body).toMatchObject({ decision: "deny", message: "Use npm run lint" });
    const second = await askApproval(worker.token, task.id, { tool: "Write", input: '{"file_path":"a"}' });
    const bare = await answer(second.body.id, task.id, { decision: "deny" });
    expect(bare.body).toMatchObject({ decision: "deny", message: "Denied" });
  });

  it("400 for an answer that does not fit its request; the request stays open", async () => {
    const { task, worker } = await claimedTask(h);
    const approval = await askApproval(worker.token, task.id);
    expectInvalid(await answer(approval.body.id, task.id, { message: "sure" }), "decision");
    expectInvalid(await answer(approval.body.id, task.id, {}), "decision");
    expectInvalid(await answer(approval.body.id, task.id, { decision: "maybe" }), "decision");
    expect(await pendingIds()).toContain(approval.body.id);
    expect((await answer(approval.body.id, task.id, { decision: "allow" })).status).toBe(201);

    const question = await h.call("POST", M, worker.token, {
      conversationId: task.id,
      messageType: "request",
      message: "Which port?",
    });
    expect(question.body.kind).toBe("question");
    expectInvalid(await answer(question.body.id, task.id, { decision: "allow" }), "decision");
    expectInvalid(
      await answer(question.body.id, task.id, { decision: "allow", message: "8080" }),
      "decision",
    );
    expectInvalid(await answer(question.body.id, task.id, {}), "message");
    expectInvalid(await answer(question.body.id, task.id, { message: "8080", kind: "question" }), "kind");
    expect(await pendingIds()).toContain(question.body.id);
    expect((await answer(question.body.id, task.id, { message: "8080" })).body.decision).toBeNull();
  });

  it("400 for a request that is not well formed, naming the field; nothing opens", async () => {
    const { task, worker } = await claimedTask(h);
    const before = await pendingIds();
    const cases: [Record<string, unknown>, string][] = [
      [{ tool: undefined }, "tool"],
      [{ tool: "" }, "tool"],
      [{ input: undefined }, "input"],
      [{ input: "x".repeat(4001) }, "input"],
      [{ message: undefined }, "message"],
      [{ kind: "poll" }, "kind"],
      [{ kind: "question" }, "tool"],
      [{ decision: "allow" }, "decision"],
    ];
    for (const [extra, field] of cases) expectInvalid(await askApproval(worker.token, task.id, extra), field);
    const status = { conversationId: task.id, messageType: "status", message: "Working" };
    expectInvalid(await h.call("POST", M, worker.token, { ...status, tool: "Bash" }), "tool");
    expectInvalid(await h.call("POST", M, worker.token, { ...status, message: undefined }), "message");
    expect(await pendingIds()).toEqual(before);
    expect(await statusOf(worker.worker.id)).toBe("busy");
    // An input at the limit is taken.
    expect((await askApproval(worker.token, task.id, { input: "x".repeat(4000) })).status).toBe(201);
  });
});
