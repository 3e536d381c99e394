import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestCtx, testCtx } from "../../../test/context.ts";
import { callTool, failWith, type Step } from "../../../test/fake-anthropic/script.ts";
import { type FakeAnthropic, startFakeAnthropic } from "../../../test/fake-anthropic/server.ts";
import { holding } from "../../../test/work-order-fixtures.ts";
import { anthropicController } from "../adapters/anthropic-controller.ts";
import { AuditQuery } from "../audit/schema.ts";
import * as Audit from "../audit/service.ts";
import { ListMessagesQuery } from "../chat/schema.ts";
import * as Chat from "../chat/service.ts";
import * as Policy from "../policy/service.ts";

const admin = { role: "admin", principalId: "adm-1", name: "Ada" } as const;
const MODEL = "claude-haiku-4-5";

/** The LLM controller on the fake Messages API: each test scripts the model's verdicts. */
describe("the LLM controller", () => {
  let fake: FakeAnthropic;
  beforeAll(async () => {
    fake = await startFakeAnthropic([]);
  });
  afterAll(() => fake?.close());

  /** A context whose policy sends every request to the controller, and a worker holding a task. */
  const controlled = async (name: string, timeoutMs = 10_000) => {
    const base = await testCtx(name);
    const ctx: TestCtx = {
      ...base,
      controller: anthropicController({ apiKey: "fake-key", baseURL: fake.url, model: MODEL, timeoutMs }),
    };
    await Policy.put(ctx, admin, {
      rules: [{ id: "ask-the-model", when: {}, then: "controller" }],
      ifVersion: 0,
    });
    return { ctx, ...(await holding(ctx)) };
  };
  const decide = (verdict: Record<string, unknown>): Step => callTool("decide", verdict);
  const messages = async (ctx: TestCtx, conversationId: string) =>
    (await Chat.list(ctx, ListMessagesQuery.parse({ conversationId }))).items;

  it("answers a question with the task's context, decided by the controller", async () => {
    const { ctx, worker, task } = await controlled("controller-answers");
    await Chat.note(ctx, worker, { conversationId: task.id, message: "Reading the code" });
    fake.play(decide({ action: "answer", message: "Use zod", reason: "The repo already uses it" }));
    const next = fake.nextRequest();
    const request = await Chat.ask(ctx, worker, { conversationId: task.id, message: "Which library?" });

    const sent = await next;
    expect(sent.body.model).toBe(MODEL);
    expect(sent.tools).toEqual(["decide"]);
    const prompt = JSON.stringify(sent.body.messages);
    expect(prompt).toContain(task.title);
    expect(prompt).toContain("[agent] Reading the code");
    expect(prompt).toContain("The agent asks: Which library?");

    const answer = (await messages(ctx, task.id)).find((m) => m.parentMessageId === request.id);
    expect(answer).toMatchObject({
      message: "Use zod",
      senderType: "system",
      decidedBy: { type: "controller", id: MODEL },
    });
    expect(await Chat.pending(ctx)).toEqual([]);
    expect((await Audit.list(ctx, AuditQuery.parse({ type: "controller" }))).items).toEqual([
      expect.objectContaining({
        requestId: request.id,
        outcome: "answered",
        ruleId: "ask-the-model",
        reason: "The repo already uses it",
      }),
    ]);
  });

  it("allows an approval", async () => {
    const { ctx, worker, task } = await controlled("controller-allows");
    fake.play(decide({ action: "allow", reason: "Read-only" }));
    const request = await Chat.ask(ctx, worker, {
      conversationId: task.id,
      message: "Bash: ls",
      kind: "approval",
      tool: "Bash",
      input: '{"command":"ls"}',
    });
    const answer = (await messages(ctx, task.id)).find((m) => m.parentMessageId === request.id);
    expect(answer).toMatchObject({ decision: "allow", decidedBy: { type: "controller", id: MODEL } });
  });

  /** The request went to people instead: pending, and the audit says why. */
  const expectEscalated = async (ctx: TestCtx, requestId: string, why: RegExp) => {
    expect((await Chat.pending(ctx)).map((q) => q.requestId)).toEqual([requestId]);
    expect((await Chat.get(ctx, (await Chat.pending(ctx))[0]!.taskId, requestId)).answerId).toBeNull();
    const [record] = (await Audit.list(ctx, AuditQuery.parse({}))).items;
    expect(record).toMatchObject({ requestId, outcome: "escalated", decidedBy: { type: "controller" } });
    expect(record?.reason).toMatch(why);
  };

  it("escalates to a person when the model says so, when it fails, and when its verdict does not fit", async () => {
    for (const [name, step, why] of [
      ["says-so", decide({ action: "escalate", reason: "Needs the team" }), /^Needs the team$/],
      ["fails", failWith(500, "overloaded"), /^The controller failed: 500/],
      ["misfits", decide({ action: "allow", reason: "?" }), /allow does not fit a question/],
    ] as const) {
      const { ctx, worker, task } = await controlled(`controller-escalates-${name}`);
      fake.play(step);
      const request = await Chat.ask(ctx, worker, { conversationId: task.id, message: "Ship it?" });
      await expectEscalated(ctx, request.id, why);
    }
  });

  it("escalates when the model does not answer in time", async () => {
    const { ctx, worker, task } = await controlled("controller-timeout", 300);
    let release = () => {};
    fake.play(
      () =>
        new Promise(
          (resolve) =>
            (release = () => resolve(decide({ action: "answer", message: "late", reason: "" }) as never)),
        ),
    );
    const request = await Chat.ask(ctx, worker, { conversationId: task.id, message: "Ship it?" });
    release();
    await expectEscalated(ctx, request.id, /^The controller failed: .*timed out/i);
    // A person then answers as usual.
    const person = { role: "operator", principalId: "op-1", name: "Olivia" } as const;
    await Chat.answer(ctx, person, { conversationId: task.id, parentMessageId: request.id, message: "Yes" });
    expect(await Chat.pending(ctx)).toEqual([]);
  });

  it("without a configured controller, the request goes to people", async () => {
    const ctx = await testCtx("controller-none");
    await Policy.put(ctx, admin, { rules: [{ id: "model", when: {}, then: "controller" }], ifVersion: 0 });
    const { worker, task } = await holding(ctx);
    const request = await Chat.ask(ctx, worker, { conversationId: task.id, message: "?" });
    await expectEscalated(ctx, request.id, /No controller is configured/);
  });
});
