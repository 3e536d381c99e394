import { describe, expect, it } from "vitest";
import { operator, type TestCtx, testCtx } from "../../../test/context.ts";
import { holding } from "../../../test/work-order-fixtures.ts";
import { AuditQuery } from "../audit/schema.ts";
import * as Audit from "../audit/service.ts";
import * as Policy from "../policy/service.ts";
import { workerStatus } from "./fixtures.ts";
import { ListMessagesQuery } from "./schema.ts";
import * as Chat from "./service.ts";

const admin = { role: "admin", principalId: "adm-1", name: "Ada" } as const;

const withRules = async (ctx: TestCtx, rules: unknown[]) =>
  Policy.put(ctx, admin, { rules: rules as never, ifVersion: (await Policy.get(ctx)).version });

const responses = async (ctx: TestCtx, conversationId: string) =>
  (await Chat.list(ctx, ListMessagesQuery.parse({ conversationId }))).items.filter(
    (m) => m.messageType === "response",
  );

const audit = (ctx: TestCtx, query: Partial<AuditQuery> = {}) => Audit.list(ctx, AuditQuery.parse(query));

describe("chat: requests decided by the policy", () => {
  it("a reply rule answers a matching question at once, as a person's answer would be", async () => {
    const ctx = await testCtx("chat-policy-reply");
    await withRules(ctx, [
      {
        id: "tests",
        when: { match: "run the tests" },
        then: "reply",
        reply: "Yes, run them",
        note: "always",
      },
    ]);
    const { worker, task } = await holding(ctx);
    const request = await Chat.ask(ctx, worker, { conversationId: task.id, message: "May I run the tests?" });

    const [answer] = await responses(ctx, task.id);
    expect(answer).toMatchObject({
      parentMessageId: request.id,
      message: "Yes, run them",
      senderType: "system",
      senderId: "tests",
      decidedBy: { type: "rule", id: "tests" },
    });
    expect((await Chat.get(ctx, task.id, request.id)).answerId).toBe(answer?.id);
    expect(await Chat.pending(ctx)).toEqual([]);
    expect(await workerStatus(ctx, worker.principalId)).toBe("busy");
    expect((await audit(ctx, { taskId: task.id })).items).toEqual([
      expect.objectContaining({
        taskId: task.id,
        requestId: request.id,
        kind: "question",
        decidedBy: { type: "rule", id: "tests" },
        outcome: "answered",
        message: "Yes, run them",
        responseId: answer?.id,
        ruleId: "tests",
        reason: "always",
      }),
    ]);
  });

  it("allow and deny rules decide approvals; what no rule matches waits for a person", async () => {
    const ctx = await testCtx("chat-policy-approvals");
    await withRules(ctx, [
      { id: "echo", when: { tool: "Bash", match: '"command":"echo ' }, then: "allow" },
      { id: "no-rm", when: { tool: "Bash", match: "rm -rf" }, then: "deny", note: "never delete" },
    ]);
    const { worker, task } = await holding(ctx);
    const approve = (command: string) =>
      Chat.ask(ctx, worker, {
        conversationId: task.id,
        message: `Bash: ${command}`,
        kind: "approval",
        tool: "Bash",
        input: JSON.stringify({ command }),
      });
    const echo = await approve("echo hi");
    const rm = await approve("rm -rf build");
    const make = await approve("make");

    const byParent = Object.fromEntries((await responses(ctx, task.id)).map((r) => [r.parentMessageId, r]));
    expect(byParent[echo.id]).toMatchObject({
      decision: "allow",
      message: "Allowed",
      decidedBy: { type: "rule", id: "echo" },
    });
    expect(byParent[rm.id]).toMatchObject({
      decision: "deny",
      message: 'Denied by rule "no-rm": never delete',
      decidedBy: { type: "rule", id: "no-rm" },
    });
    expect(byParent[make.id]).toBeUndefined();
    expect((await Chat.pending(ctx)).map((q) => q.requestId)).toEqual([make.id]);
    expect(await workerStatus(ctx, worker.principalId)).toBe("waiting");

    // A person decides the rest; the audit lists every decision, newest first, filterable by type.
    const person = await Chat.answer(ctx, operator, {
      conversationId: task.id,
      parentMessageId: make.id,
      decision: "allow",
    });
    expect(person).toMatchObject({
      senderType: "human",
      decidedBy: { type: "person", id: operator.principalId },
    });
    const all = (await audit(ctx, { taskId: task.id })).items;
    expect(all.map((a) => [a.requestId, a.outcome, a.decidedBy.type])).toEqual([
      [make.id, "allowed", "person"],
      [rm.id, "denied", "rule"],
      [echo.id, "allowed", "rule"],
    ]);
    expect((await audit(ctx, { taskId: task.id, type: "person" })).items.map((a) => a.requestId)).toEqual([
      make.id,
    ]);
    expect((await audit(ctx, { type: "rule" })).items.map((a) => a.requestId)).toEqual([rm.id, echo.id]);
    expect((await audit(ctx, { type: "controller" })).items).toEqual([]);
  });

  it("messages nobody decided carry no decidedBy", async () => {
    const ctx = await testCtx("chat-policy-none");
    const { worker, task } = await holding(ctx);
    const request = await Chat.ask(ctx, worker, { conversationId: task.id, message: "?" });
    const note = await Chat.note(ctx, operator, { conversationId: task.id, message: "hi" });
    expect(request.decidedBy).toBeNull();
    expect(note.decidedBy).toBeNull();
    expect((await Chat.pending(ctx)).map((q) => q.requestId)).toEqual([request.id]);
  });
});
