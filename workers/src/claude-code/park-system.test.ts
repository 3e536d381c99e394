import type { ExecutionInfo, PendingQuestion, SessionInfo, TaskInfo } from "@agentvine/client";
import { describe, expect, it } from "vitest";
import type { FakeRequest } from "../../../test/fake-anthropic/request.ts";
import { callTool, say } from "../../../test/fake-anthropic/script.ts";
import { git } from "../workspace/git-fixture.ts";
import { useClaudeSystem } from "./claude-system.ts";

/**
 * Issue 12 with the real Claude Code binary (against the fake Messages API) through the running
 * system: a question that waits past AGENTVINE_PARK_AFTER_MS parks the agent, and the answer
 * resumes the same session from its transcript and the restored checkout.
 */
describe("a parked Claude Code run through the running system", () => {
  const c = useClaudeSystem("claude-park", { AGENTVINE_PARK_AFTER_MS: "1500" });
  const call = <T = unknown>(method: string, path: string, body?: unknown) =>
    c.system.call<T>(method, path, body);
  const status = (id: string, timeout = 45_000) =>
    expect.poll(async () => (await call<TaskInfo>("GET", `/tasks/${id}`)).status, { timeout, interval: 100 });

  it("resumes the same session with the earlier conversation, and ships what was written before parking", async () => {
    let resumed: FakeRequest | undefined;
    c.fake.play(
      callTool("Bash", { command: "echo before parking > before.txt", description: "Write a file" }),
      callTool("mcp__agentvine__ask_human", { question: "Which library?" }),
      (req) => {
        resumed = req;
        return callTool("Bash", { command: "echo zod > library.txt", description: "Write another" });
      },
      say("Done."),
    );
    const t = await call<TaskInfo>("POST", "/tasks", {
      title: "Park me",
      agent: "claude-code",
      repositoryUrl: c.origin.url,
      permissionMode: "bypass",
    });
    let question: PendingQuestion | undefined;
    await expect
      .poll(
        async () => {
          const { items } = await call<{ items: PendingQuestion[] }>("GET", "/chat/pending");
          question = items.find((q) => q.taskId === t.id);
          return question;
        },
        { timeout: 45_000, interval: 100 },
      )
      .toBeDefined();
    await status(t.id).toBe("waiting");
    const first = c.fake.requests.filter((r) => r.tools.length);
    const current = (await call<TaskInfo>("GET", `/tasks/${t.id}`)).currentWorkOrderId ?? "";
    const parked = (await c.system.runtime.ctx.db.workOrder.get({ id: current }).go()).data;
    expect(parked?.status).toBe("parked");
    console.log(`snapshot of a parked Claude Code run: ${parked?.park?.snapshotBytes} bytes`);

    const answeredAt = Date.now();
    await call("POST", "/chat/messages", {
      conversationId: t.id,
      message: "Use zod",
      messageType: "response",
      parentMessageId: question?.requestId,
    });
    await status(t.id).toBe("completed");
    console.log(`answer to the resumed agent's first model request: ${(resumed?.at ?? 0) - answeredAt} ms`);

    const sessions = (await call<{ items: SessionInfo[] }>("GET", "/sessions?limit=100")).items.filter(
      (s) => s.taskId === t.id,
    );
    expect(sessions.map((s) => s.sessionId)).toEqual([first[0]?.sessionId]);
    expect(resumed?.sessionId).toBe(first[0]?.sessionId);
    const conversation = JSON.stringify(resumed?.body.messages);
    expect(conversation).toContain("echo before parking > before.txt");
    expect(conversation).toContain("Which library?");
    expect(JSON.stringify(resumed?.body.messages?.at(-1))).toContain("Use zod");
    const branch = `agentvine/${t.id}`;
    expect(git(c.origin.origin, "show", `${branch}:before.txt`)).toBe("before parking");
    expect(git(c.origin.origin, "show", `${branch}:library.txt`)).toBe("zod");

    // Each run reports its own part: the parked one its two replies (no cost: it had no result),
    // the resumed one its two, priced.
    const runs = (await call<{ items: ExecutionInfo[] }>("GET", `/tasks/${t.id}/executions`)).items;
    expect(runs.find((e) => e.status === "parked")).toMatchObject({
      turns: 2,
      inputTokens: 200,
      outputTokens: 40,
      costUsd: null,
    });
    expect(runs.find((e) => e.status === "completed")).toMatchObject({ turns: 2, inputTokens: 200 });
  }, 120_000);
});
