import type { AuditInfo, ChatMessageInfo, ExecutionInfo, PendingQuestion, TaskInfo } from "@agentvine/client";
import { describe, expect, it } from "vitest";
import { callTool, failWith, say } from "../../../test/fake-anthropic/script.ts";
import { useClaudeSystem } from "./claude-system.ts";

const RULES = [
  { id: "echo", when: { tool: "Bash", match: '"command":"echo ' }, then: "allow", note: "harmless" },
  { id: "tests", when: { match: "run the tests" }, then: "reply", reply: "Yes, run them" },
  { id: "model", when: { kind: "question", match: "library" }, then: "controller" },
];

/**
 * Issue 13's routing rules and controller end to end: the local runtime with one real worker
 * process, stub and Claude Code agents, and one fake Messages API serving both Claude Code and
 * the controller (the runtime builds it from ANTHROPIC_API_KEY and ANTHROPIC_BASE_URL).
 */
describe("routing rules and the controller through the running system", () => {
  const c = useClaudeSystem("policy-system", { AGENTVINE_CONTROLLER_MODEL: "claude-haiku-4-5" }, () =>
    c.system.call("PUT", "/policy", { rules: RULES, ifVersion: 0 }),
  );
  const call = <T = unknown>(method: string, path: string, body?: unknown) =>
    c.system.call<T>(method, path, body);
  const createTask = (fields: Record<string, unknown>) => call<TaskInfo>("POST", "/tasks", fields);
  const status = (id: string, timeout = 120_000) =>
    expect.poll(async () => (await call<TaskInfo>("GET", `/tasks/${id}`)).status, { timeout, interval: 100 });
  const output = async (id: string) =>
    (await call<{ items: ExecutionInfo[] }>("GET", `/tasks/${id}/executions`)).items[0]?.output;
  const responses = async (id: string) =>
    (await call<{ items: ChatMessageInfo[] }>("GET", `/chat/messages?conversationId=${id}`)).items.filter(
      (m) => m.messageType === "response",
    );
  const audit = async (query = "") =>
    (await call<{ items: AuditInfo[] }>("GET", `/audit?limit=100${query}`)).items;
  /** The open request of a task (that `fits`), once pending: a rule's request is open for the moment it decides. */
  const pending = async (taskId: string, fits: (q: PendingQuestion) => boolean = () => true) => {
    let found: PendingQuestion | undefined;
    await expect
      .poll(
        async () => {
          found = (await call<{ items: PendingQuestion[] }>("GET", "/chat/pending")).items.find(
            (q) => q.taskId === taskId && fits(q),
          );
          return found;
        },
        { timeout: 120_000, interval: 100 },
      )
      .toBeDefined();
    return found as PendingQuestion;
  };
  const respond = (taskId: string, parentMessageId: string, body: Record<string, unknown>) =>
    call("POST", "/chat/messages", {
      conversationId: taskId,
      messageType: "response",
      parentMessageId,
      ...body,
    });
  const decide = (verdict: Record<string, unknown>) => callTool("decide", verdict);

  it("a reply rule answers a stub agent's question with no person", async () => {
    const t = await createTask({
      title: "Tests",
      description: "ask: May I run the tests?",
      taskType: "test",
    });
    await status(t.id).toBe("completed");
    expect(await output(t.id)).toContain("Answer: Yes, run them");
    expect(await responses(t.id)).toEqual([
      expect.objectContaining({ message: "Yes, run them", decidedBy: { type: "rule", id: "tests" } }),
    ]);
    expect(await audit(`&taskId=${t.id}`)).toEqual([
      expect.objectContaining({
        outcome: "answered",
        decidedBy: { type: "rule", id: "tests" },
        ruleId: "tests",
      }),
    ]);
  }, 240_000);

  it("the controller answers a question it is sent", async () => {
    c.fake.play(decide({ action: "answer", message: "Use zod", reason: "It is already a dependency" }));
    const t = await createTask({
      title: "Validate",
      description: "ask: Which library?",
      taskType: "feature",
    });
    await status(t.id).toBe("completed");
    expect(await output(t.id)).toContain("Answer: Use zod");
    expect(await responses(t.id)).toEqual([
      expect.objectContaining({ decidedBy: { type: "controller", id: "claude-haiku-4-5" } }),
    ]);
  }, 240_000);

  it("a failing controller passes the question to a person", async () => {
    c.fake.play(failWith(500, "overloaded"));
    const t = await createTask({
      title: "Pick",
      description: "ask: Which library now?",
      taskType: "feature",
    });
    const question = await pending(t.id);
    // The request is pending while the controller decides: the person answers once it passed it on.
    await expect
      .poll(async () => (await audit(`&taskId=${t.id}`)).map((a) => a.outcome), { timeout: 60_000 })
      .toContain("escalated");
    await respond(t.id, question.requestId, { message: "Valibot" });
    await status(t.id).toBe("completed");
    expect(await output(t.id)).toContain("Answer: Valibot");
    expect((await audit(`&taskId=${t.id}`)).map((a) => [a.outcome, a.decidedBy.type])).toEqual([
      ["answered", "person"],
      ["escalated", "controller"],
    ]);
  }, 240_000);

  it("an allow rule lets Claude Code's matching command run with no person; another command still asks", async () => {
    c.fake.play(
      callTool("Bash", { command: "echo made > made.txt", description: "Write a file" }),
      callTool("Bash", { command: "rm -rf build", description: "Clean" }),
      (req) => say(`Done: ${req.toolResults[0]?.text}`),
    );
    const t = await createTask({ title: "Make", agent: "claude-code", repositoryUrl: c.origin.url });
    const approval = await pending(t.id, (q) => Boolean(q.input?.includes("rm -rf")));
    expect(JSON.parse(approval.input ?? "{}")).toMatchObject({ command: "rm -rf build" });
    await respond(t.id, approval.requestId, { decision: "deny", message: "Keep the build" });
    await status(t.id).toBe("completed");
    const [execution] = (await call<{ items: ExecutionInfo[] }>("GET", `/tasks/${t.id}/executions`)).items;
    expect(execution?.files).toEqual([expect.objectContaining({ path: "made.txt" })]);
    expect((await audit(`&taskId=${t.id}`)).map((a) => [a.outcome, a.decidedBy])).toEqual([
      ["denied", { type: "person", id: expect.any(String) }],
      ["allowed", { type: "rule", id: "echo" }],
    ]);
  }, 300_000);

  it("the share of requests decided without a person", async () => {
    const decided = (await audit()).filter((a) => a.outcome !== "escalated");
    const share = (type: string) => decided.filter((a) => a.decidedBy.type === type).length / decided.length;
    // Five requests: two answered by rules, one by the controller, two by a person.
    expect(decided).toHaveLength(5);
    expect([share("rule"), share("controller"), share("person")]).toEqual([0.4, 0.2, 0.4]);
  });
});
