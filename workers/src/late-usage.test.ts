import type { ExecutionInfo } from "@agentvine/core/execution/schema";
import type { TaskInfo } from "@agentvine/core/task/schema";
import { describe, expect, it } from "vitest";
import { ExecutionFailed, type Executor } from "./executor.ts";
import { useInProcessApi } from "./in-process-worker.ts";

/**
 * A run can end of its own before its worker hears that core ended its work: a terminated
 * session also closes the run's open question, and that may reach the agent first. The worker's
 * fail (or complete) is then refused, and what the run used must still reach its execution.
 * Here the worker hears nothing pushed at all, so the run always ends first.
 */
const h = useInProcessApi("late-usage");
const USED = { turns: 2, inputTokens: 50, outputTokens: 7, costUsd: 0.01 };

/**
 * An agent that reports progress (its session is open then), says so through `working`, works
 * until its task is cancelled under it, then ends as told, with its usage.
 */
const endsAfterCancel = (end: "fail" | "complete", working: () => void): Executor => ({
  usesWorkspace: false,
  async run(task, ctx) {
    await ctx.progress(10, "working");
    working();
    await expect
      .poll(async () => (await h.call<TaskInfo>("GET", `/tasks/${task.id}`)).status, { timeout: 30_000 })
      .toBe("cancelled");
    if (end === "fail") throw new ExecutionFailed("Gave up", USED);
    return { output: "Done anyway", report: USED };
  },
});

describe("a run that ends before its worker hears core ended its work", () => {
  for (const end of ["fail", "complete"] as const) {
    it(`still reports what it used when its ${end} is refused`, async () => {
      let nowWorking = () => {};
      const working = new Promise<void>((ok) => {
        nowWorking = ok;
      });
      const agent = endsAfterCancel(end, () => nowWorking());
      const { worker } = h.startWorker(`ends-${end}`, { agents: { stub: agent } });
      const task = await h.call<TaskInfo>("POST", "/tasks", { title: `Cancelled under a ${end}` });
      await working;
      await h.call("PATCH", `/tasks/${task.id}`, { status: "cancelled" });
      const execution = async () =>
        (await h.call<{ items: ExecutionInfo[] }>("GET", `/tasks/${task.id}/executions`)).items[0];
      await expect.poll(execution, { timeout: 30_000 }).toMatchObject({ status: "failed", ...USED });
      // Core's word stands: the task stays cancelled, and the worker is free for more.
      expect((await h.call<TaskInfo>("GET", `/tasks/${task.id}`)).status).toBe("cancelled");
      await expect
        .poll(async () => (await h.call<{ status: string }>("GET", `/workers/${worker.workerId}`)).status)
        .toBe("idle");
      await worker.close();
    }, 90_000);
  }
});
