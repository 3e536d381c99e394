import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TaskInfo } from "@agentvine/core/task/schema";
import { afterEach } from "vitest";
import type { Step } from "../../../test/fake-anthropic/script.ts";
import { type FakeAnthropic, startFakeAnthropic } from "../../../test/fake-anthropic/server.ts";
import type { Approval, ExecutionContext } from "../executor.ts";
import { claudeCodeExecutor } from "./claude-code-executor.ts";

export const MODEL = "claude-sonnet-4-5";

type ApprovalRequest = Parameters<ExecutionContext["approve"]>[0];

export interface Harness {
  fake: FakeAnthropic;
  /** The task's checkout: a fresh git repository. */
  workspace: string;
  /** Where the runs' CLAUDE_CONFIG_DIR and HOME go. */
  claudeHome: string;
  ctx: ExecutionContext;
  abort: AbortController;
  asked: string[];
  approvals: ApprovalRequest[];
  steps: { percent: number; step: string }[];
  /** Runs the task (fields over the harness's own), with `context` over the harness's context. */
  run(
    task?: Record<string, unknown>,
    context?: Partial<ExecutionContext>,
  ): ReturnType<ReturnType<typeof claudeCodeExecutor>["run"]>;
  close(): Promise<void>;
}

/**
 * The Claude Code executor on the real CLI against a fake Messages API playing `script`, in a
 * fresh git repository, with a hand-made context that answers questions and approvals as told
 * (an approval nobody expects fails the test's run).
 */
export const startHarness = async (
  script: Step[],
  answers: { ask?: (q: string) => Promise<string>; approve?: (r: ApprovalRequest) => Promise<Approval> } = {},
  /** Another harness's fake, which plays `script` next (and is closed with that harness). */
  sharedFake?: FakeAnthropic,
): Promise<Harness> => {
  const fake = sharedFake ?? (await startFakeAnthropic(script));
  if (sharedFake) sharedFake.play(...script);
  const root = mkdtempSync(join(tmpdir(), "agentvine-claude-"));
  const workspace = join(root, "work");
  mkdirSync(workspace);
  execFileSync("git", ["init", "-q", "-b", "main"], { cwd: workspace });
  const abort = new AbortController();
  const asked: string[] = [];
  const approvals: ApprovalRequest[] = [];
  const steps: Harness["steps"] = [];
  const ctx: ExecutionContext = {
    signal: abort.signal,
    sessionId: randomUUID(),
    workspace,
    resume: null,
    progress: async (percent, step) => void steps.push({ percent, step }),
    ask: async (question) => {
      asked.push(question);
      return (answers.ask ?? (async () => "no answer scripted"))(question);
    },
    approve: async (request) => {
      approvals.push(request);
      if (!answers.approve) throw new Error(`unexpected approval request: ${request.summary}`);
      return answers.approve(request);
    },
  };
  const claudeHome = join(root, "claude");
  const executor = claudeCodeExecutor({
    model: MODEL,
    claudeHome,
    env: {
      ...process.env,
      ANTHROPIC_BASE_URL: fake.url,
      ANTHROPIC_API_KEY: "fake-key",
      CLAUDE_CODE_MAX_RETRIES: "0",
    },
  });
  const task = {
    id: `t-${randomUUID().slice(0, 8)}`,
    title: "Pick a library",
    description: "",
    taskType: "feature",
  };
  return {
    fake,
    workspace,
    claudeHome,
    ctx,
    abort,
    asked,
    approvals,
    steps,
    run: (overrides = {}, context = {}) =>
      executor.run({ ...task, ...overrides } as TaskInfo, { ...ctx, ...context }),
    close: async () => {
      if (!sharedFake) await fake.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
};

/** For a test file: starts harnesses, each closed after its test. */
export const harnessPerTest = () => {
  const open: Harness[] = [];
  afterEach(async () => {
    for (const h of open.splice(0)) await h.close();
  });
  return async (...args: Parameters<typeof startHarness>) => {
    const h = await startHarness(...args);
    open.push(h);
    return h;
  };
};
