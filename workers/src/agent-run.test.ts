import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TaskInfo } from "@agentvine/core/task/schema";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runAgent } from "./agent-run.ts";
import { ExecutionFailed, type Executor } from "./executor.ts";
import { stubExecutor } from "./stub-executor.ts";
import { Workspaces } from "./workspace/index.ts";

const task = (over: Partial<TaskInfo>) =>
  ({ id: "t1", title: "Run", agent: "stub", description: "", ...over }) as TaskInfo;
const context = (signal = new AbortController().signal) => ({
  signal,
  sessionId: "s1",
  progress: async () => {},
  ask: async () => "",
  approve: async () => ({ allow: true }) as const,
  resume: null,
});
/** An agent that works in a checkout (none is made: the task has no repository). */
const needsCheckout: Executor = { usesWorkspace: true, run: async () => ({ output: "" }) };

describe("runAgent", () => {
  let cacheDir: string;
  let workspaces: Workspaces;
  beforeEach(async () => {
    cacheDir = await mkdtemp(join(tmpdir(), "agent-run-"));
    workspaces = new Workspaces({ cacheDir, env: process.env });
  });
  afterEach(() => rm(cacheDir, { recursive: true, force: true }));

  it("runs the agent while its session opens, and ends once both are done", async () => {
    let opened = false;
    const opening = new Promise((r) => setTimeout(r, 50)).then(() => {
      opened = true;
    });
    const result = await runAgent(
      task({ description: "work: 1" }),
      { stub: stubExecutor },
      workspaces,
      opening,
      context(),
    );
    expect(result.output).toContain("Worked 1 ms");
    expect(opened).toBe(true);
  });

  it("stops the agent with the reason when its session cannot open", async () => {
    const opening = new Promise((_, reject) =>
      setTimeout(() => reject(new Error("the task was cancelled")), 20),
    );
    const running = runAgent(
      task({ description: "work: 60000" }),
      { stub: stubExecutor },
      workspaces,
      opening,
      context(),
    );
    await expect(running).rejects.toThrow("the task was cancelled");
  });

  it("refuses an agent that needs a repository when the task has none, after the session settled", async () => {
    let opened = false;
    const opening = new Promise((r) => setTimeout(r, 20)).then(() => {
      opened = true;
    });
    await expect(
      runAgent(task({ repositoryUrl: null }), { stub: needsCheckout }, workspaces, opening, context()),
    ).rejects.toThrow(ExecutionFailed);
    expect(opened).toBe(true);
  });

  it("refuses a task whose agent this worker cannot run, naming the agent", async () => {
    const running = runAgent(
      task({ agent: "claude-code" }),
      { stub: stubExecutor },
      workspaces,
      Promise.resolve(),
      context(),
    );
    await expect(running).rejects.toThrow("This worker cannot run the claude-code agent");
  });
});
