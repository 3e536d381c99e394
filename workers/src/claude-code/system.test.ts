import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type {
  ChatMessageInfo,
  ExecutionInfo,
  PendingQuestion,
  SessionInfo,
  TaskInfo,
} from "@agentvine/client";
import { describe, expect, it } from "vitest";
import { callTool, say } from "../../../test/fake-anthropic/script.ts";
import { git } from "../workspace/git-fixture.ts";
import { useClaudeSystem } from "./claude-system.ts";

/**
 * Issue 11 end to end: the local runtime with one real worker process running the real Claude
 * Code binary against a scripted fake Messages API, on a real repository (a local bare one as
 * origin), driven over HTTP as a person would.
 */
describe("Claude Code tasks through the running system", () => {
  const c = useClaudeSystem("claude-system");

  const sessionOf = async (taskId: string) =>
    (await call<{ items: SessionInfo[] }>("GET", "/sessions?limit=100")).items.find(
      (s) => s.taskId === taskId,
    );
  const call = <T = unknown>(method: string, path: string, body?: unknown) =>
    c.system.call<T>(method, path, body);
  const createTask = (fields: Record<string, unknown>) =>
    call<TaskInfo>("POST", "/tasks", { agent: "claude-code", repositoryUrl: c.origin.url, ...fields });
  const task = (id: string) => call<TaskInfo>("GET", `/tasks/${id}`);
  const executions = (id: string) =>
    call<{ items: ExecutionInfo[] }>("GET", `/tasks/${id}/executions`).then((p) => p.items);
  const status = (id: string, timeout = 30_000) =>
    expect.poll(async () => (await task(id)).status, { timeout, interval: 100 });
  /** The open request of this task, once it is pending. */
  const pending = async (taskId: string, kind: "question" | "approval") => {
    let found: PendingQuestion | undefined;
    await expect
      .poll(
        async () => {
          const { items } = await call<{ items: PendingQuestion[] }>("GET", "/chat/pending");
          found = items.find((q) => q.taskId === taskId && q.kind === kind);
          return found;
        },
        { timeout: 30_000, interval: 100 },
      )
      .toBeDefined();
    return found as PendingQuestion;
  };
  const respond = (taskId: string, parentMessageId: string, body: Record<string, unknown>) =>
    call<ChatMessageInfo>("POST", "/chat/messages", {
      conversationId: taskId,
      messageType: "response",
      parentMessageId,
      ...body,
    });
  /** Claude Code processes running now (the SDK's platform binary). */
  const claudeProcesses = () =>
    execFileSync("ps", ["-eo", "args"], { encoding: "utf8" })
      .split("\n")
      .filter((line) => line.includes("claude-agent-sdk-linux"));

  it("asks a person, asks permission for a command, and ships the change as a pushed branch", async () => {
    c.fake.play(
      callTool("mcp__agentvine__ask_human", { question: "What should the greeting say?" }),
      (req) =>
        callTool("Bash", {
          command: `printf '%s\\n' '${req.toolResults[0]?.text}' > greeting.txt`,
          description: "Write the greeting",
        }),
      say("Wrote greeting.txt."),
    );
    const t = await createTask({ title: "Add a greeting", description: "Write greeting.txt" });
    expect(t).toMatchObject({ agent: "claude-code", permissionMode: "ask" });

    const question = await pending(t.id, "question");
    expect(question.message).toBe("What should the greeting say?");
    await respond(t.id, question.requestId, { message: "hello from a person" });

    const approval = await pending(t.id, "approval");
    expect(approval).toMatchObject({ tool: "Bash" });
    expect(JSON.parse(approval.input ?? "{}")).toMatchObject({
      command: "printf '%s\\n' 'hello from a person' > greeting.txt",
    });
    await respond(t.id, approval.requestId, { decision: "allow" });

    await status(t.id).toBe("completed");
    const branch = `agentvine/${t.id}`;
    // The origin has the task's branch, whose last commit holds the file with the answer.
    expect(git(c.origin.origin, "show", `${branch}:greeting.txt`)).toBe("hello from a person");
    expect(git(c.origin.origin, "log", "-1", "--format=%an", branch)).toBe("AgentVine");

    const [execution] = await executions(t.id);
    expect(execution).toMatchObject({
      status: "completed",
      branch,
      commitSha: git(c.origin.origin, "rev-parse", branch),
      pushError: null,
      files: [{ path: "greeting.txt", added: 1, removed: 0 }],
      turns: 3,
    });
    expect(execution?.diff).toContain("+hello from a person");
    expect(execution?.costUsd).toBeGreaterThan(0);
    expect(execution?.inputTokens).toBeGreaterThan(0);
    expect(execution?.outputTokens).toBeGreaterThan(0);
    expect(execution?.transcript).toContain("What should the greeting say?");

    // The dashboard's sessionId -> task mapping shows Claude Code's own session id.
    const seen = new Set(c.fake.requests.filter((r) => r.tools.length).map((r) => r.sessionId));
    expect([...seen]).toEqual([(await sessionOf(t.id))?.sessionId]);
    expect(claudeProcesses()).toEqual([]);
  }, 90_000);

  it("a denial reaches the agent with the person's reason, and the task still ends cleanly", async () => {
    c.fake.play(callTool("Bash", { command: "rm -rf build", description: "Clean" }), (req) =>
      say(`Skipped: ${req.toolResults[0]?.text}`),
    );
    const t = await createTask({ title: "Clean up" });
    const approval = await pending(t.id, "approval");
    await respond(t.id, approval.requestId, { decision: "deny", message: "Not the build folder" });

    await status(t.id).toBe("completed");
    const [execution] = await executions(t.id);
    expect(execution?.output).toContain("Not the build folder");
    // Nothing changed: the branch is pushed at the base commit, with no files.
    expect(execution).toMatchObject({ files: [], commitSha: c.origin.firstSha });
  }, 90_000);

  it("a second task on the same repository reuses the worker's mirror", async () => {
    c.fake.play(say("Nothing to change."));
    const t = await createTask({ title: "Look around", permissionMode: "bypass" });
    await status(t.id).toBe("completed");
    const workerDirs = readdirSync(join(c.system.dataDir, "workers"));
    expect(workerDirs).toHaveLength(1);
    expect(
      readdirSync(join(c.system.dataDir, "workers", workerDirs[0] ?? "", "git", "mirrors")),
    ).toHaveLength(1);
  }, 90_000);

  it("a repository that cannot be fetched fails the task at once, with the reason, without a retry", async () => {
    const t = await createTask({ title: "Nowhere", repositoryUrl: `file://${c.origin.root}/missing.git` });
    await status(t.id).toBe("failed");
    const failed = await task(t.id);
    expect(failed.failureReason).toMatch(/could not be fetched/);
    const workOrder = await c.system.runtime.ctx.db.workOrder
      .get({ id: failed.currentWorkOrderId ?? "" })
      .go();
    expect(workOrder.data).toMatchObject({ status: "failed", retryCount: 0 });
    expect(await executions(t.id)).toHaveLength(1);
    expect(
      c.fake.requests.filter((r) => r.body.messages?.some((m) => JSON.stringify(m).includes("Nowhere"))),
    ).toEqual([]);
  }, 60_000);

  it("a session terminated mid-run ends the agent's process, fails the work with the reason, and keeps what the run used", async () => {
    c.fake.play(callTool("mcp__agentvine__ask_human", { question: "Shall I go on?" }));
    const t = await createTask({ title: "Wait for me" });
    await pending(t.id, "question");
    expect(claudeProcesses()).toHaveLength(1);
    await call("DELETE", `/sessions/${(await sessionOf(t.id))?.id}`, { reason: "Taking over by hand" });

    await status(t.id).toBe("failed");
    expect((await task(t.id)).failureReason).toMatch(/Taking over by hand/);
    await expect.poll(claudeProcesses, { timeout: 15_000 }).toEqual([]);
    expect(existsSync(join(c.system.dataDir, "workers"))).toBe(true);
    // Core ended the execution; what the run used (its one reply) follows from its worker.
    await expect
      .poll(async () => (await executions(t.id))[0], { timeout: 15_000, interval: 100 })
      .toMatchObject({ status: "failed", turns: 1, inputTokens: 100, costUsd: null });
    // 20 from the CLI's transcript, or 1 as the stream began the reply when the kill came first.
    expect([1, 20]).toContain((await executions(t.id))[0]?.outputTokens);
  }, 90_000);
});
