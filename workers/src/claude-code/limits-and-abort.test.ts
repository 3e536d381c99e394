import type { TaskInfo } from "@agentvine/core/task/schema";
import { describe, expect, it, vi } from "vitest";
import { callTool, failWith, say } from "../../../test/fake-anthropic/script.ts";
import { processesIn } from "../../../test/processes.ts";
import { ExecutionFailed, RunStopped } from "../executor.ts";
import { claudeCodeExecutor } from "./claude-code-executor.ts";
import { harnessPerTest, MODEL } from "./harness.ts";

// The real Claude Code binary, driven by the SDK, against a fake Messages API.
describe("Claude Code executor: limits, errors and aborts", () => {
  const start = harnessPerTest();
  const failureOf = (run: Promise<unknown>) =>
    run.then(
      () => expect.fail("the run should have failed"),
      (err: unknown) => err,
    );
  // A command the CLI asks about in "ask" mode (it lets read-only ones like `true` through).
  const busy = () => callTool("Bash", { command: "echo busy > busy.txt", description: "Write a file" });

  it("fails at the turn limit, naming it, with what was spent", async () => {
    const h = await start([busy(), busy(), say("never reached")]);
    const err = await failureOf(h.run({ permissionMode: "bypass", maxTurns: 1 }));

    expect(err).toBeInstanceOf(ExecutionFailed);
    expect((err as ExecutionFailed).message).toMatch(/turn limit \(maxTurns 1\)/);
    expect((err as ExecutionFailed).report).toMatchObject({ turns: 2, inputTokens: 100 });
    expect((err as ExecutionFailed).report?.costUsd).toBeGreaterThan(0);
  });

  it("a resumed run whose task used all its turns before it fails at once, naming the limit", async () => {
    const h = await start([say("never reached")]);
    const state = { transcript: "{}\n", pending: { kind: "question", question: "Go on?" }, turnsUsed: 3 };
    const err = await failureOf(
      h.run({ maxTurns: 3 }, { resume: { state, answer: { message: "Yes", decision: null } } }),
    );

    expect((err as ExecutionFailed).message).toBe(
      "Claude Code reached the turn limit (maxTurns 3) after 3 turns, before this run",
    );
    expect(h.fake.requests).toEqual([]);
  });

  it("fails at the budget limit, naming it", async () => {
    const h = await start([busy(), busy(), say("never reached")]);
    const err = await failureOf(h.run({ permissionMode: "bypass", maxBudgetUsd: 0.0001 }));

    expect(err).toBeInstanceOf(ExecutionFailed);
    expect((err as ExecutionFailed).message).toMatch(/budget limit \(maxBudgetUsd 0.0001\)/);
  });

  it("fails with the API's error", async () => {
    // A 500 (a 400 makes the CLI try again in other ways, five times).
    const h = await start([failWith(500, "fake boom")]);
    const err = await failureOf(h.run());

    expect(err).toBeInstanceOf(ExecutionFailed);
    expect((err as ExecutionFailed).message).toMatch(/500 fake boom/);
  });

  it("fails when an approval cannot be asked", async () => {
    const h = await start([busy(), say("never reached")], {
      approve: () => Promise.reject(new ExecutionFailed("approvals are not wired yet")),
    });
    const err = await failureOf(h.run({ permissionMode: "ask" }));

    expect(err).toBeInstanceOf(ExecutionFailed);
    expect((err as ExecutionFailed).message).toBe("approvals are not wired yet");
    // Stopped before its result: the reply it streamed is counted, without a cost.
    expect((err as ExecutionFailed).report).toMatchObject({ turns: 1, inputTokens: 100 });
    expect((err as ExecutionFailed).report?.costUsd).toBeUndefined();
    expect(processesIn(h.workspace)).toEqual([]);
  });

  it("without credentials, fails saying what to set, before any model call", async () => {
    const h = await start([say("never reached")]);
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !/^(ANTHROPIC_|CLAUDE_CODE_OAUTH)/.test(name)),
    );
    const executor = claudeCodeExecutor({
      model: MODEL,
      claudeHome: h.claudeHome,
      env: { ...env, ANTHROPIC_BASE_URL: h.fake.url },
    });
    const task = { id: "t-no-key", title: "No key", description: "", taskType: "feature" } as TaskInfo;
    const err = await failureOf(executor.run(task, h.ctx));

    expect(err).toBeInstanceOf(ExecutionFailed);
    expect((err as ExecutionFailed).message).toMatch(
      /^Claude Code has no credentials on this worker: set ANTHROPIC_API_KEY/,
    );
    expect(h.fake.requests).toEqual([]);
  });

  it("ends the agent and what it started on an abort, and rejects with the reason and what it used", async () => {
    const h = await start([
      callTool("Bash", { command: 'node -e "setTimeout(() => {}, 31000)"', description: "Wait" }),
      say("never reached"),
    ]);
    const run = failureOf(h.run({ permissionMode: "bypass" }));
    await vi.waitFor(() => expect(processesIn(h.workspace).join("\n")).toMatch(/setTimeout/), {
      timeout: 20_000,
    });
    const reason = new Error("The session was reaped");
    h.abort.abort(reason);

    const err = await run;
    expect(err).toBeInstanceOf(RunStopped);
    expect((err as RunStopped).reason).toBe(reason);
    // What the run used until the stop goes with it: its one reply, its input, its output (20
    // from the CLI's transcript, or 1 as the stream began it when the kill beat the transcript's
    // write), and no cost (only a result prices a run).
    expect((err as RunStopped).report).toMatchObject({ turns: 1, inputTokens: 100 });
    expect([1, 20]).toContain((err as RunStopped).report?.outputTokens);
    expect((err as RunStopped).report?.costUsd).toBeUndefined();
    expect(processesIn(h.workspace)).toEqual([]);
  });

  it("stops waiting for a person on an abort", async () => {
    const h = await start([busy(), say("never reached")], { approve: () => new Promise(() => {}) });
    const run = failureOf(h.run({ permissionMode: "ask" }));
    await vi.waitFor(() => expect(h.approvals).toHaveLength(1), { timeout: 20_000 });
    const reason = new Error("The worker is stopping");
    h.abort.abort(reason);

    const err = await run;
    expect((err as RunStopped).reason).toBe(reason);
    expect((err as RunStopped).report).toMatchObject({ turns: 1 });
    expect(processesIn(h.workspace)).toEqual([]);
    expect(h.fake.requests).toHaveLength(1);
  });
});
