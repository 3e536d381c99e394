import type { TaskInfo } from "@agentvine/core/task/schema";
import { describe, expect, it } from "vitest";
import { ExecutionFailed } from "./executor.ts";
import { parseDirectives, stubExecutor } from "./stub-executor.ts";

const task = (description: string) => ({ id: "t1", title: "Stub", description }) as TaskInfo;
const ctx = (answers: string[] = []) => {
  const asked: string[] = [];
  const reported: number[] = [];
  return {
    asked,
    reported,
    signal: new AbortController().signal,
    sessionId: "s1",
    workspace: null,
    approve: async () => ({ allow: true }) as const,
    ask: async (q: string) => {
      asked.push(q);
      return answers.shift() ?? "";
    },
    async progress(percent: number) {
      reported.push(percent);
    },
  };
};

describe("stub executor", () => {
  it("reads one directive per line and ignores prose", () => {
    expect(parseDirectives("Please do it.\nwork: 10\n  ASK: Which library? \nfail:boom")).toEqual([
      { kind: "work", value: "10" },
      { kind: "ask", value: "Which library?" },
      { kind: "fail", value: "boom" },
    ]);
  });

  it("asks, works, and puts the answer in its output", async () => {
    const c = ctx(["Use zod"]);
    const { output } = await stubExecutor.run(task("work: 5\nask: Which library?"), c);
    expect(c.asked).toEqual(["Which library?"]);
    expect(output).toContain("Answer: Use zod");
    expect(c.reported).toEqual([0, 50]);
  });

  it("fails with the reason when told to", async () => {
    await expect(stubExecutor.run(task("fail: no tests"), ctx())).rejects.toThrow(ExecutionFailed);
  });

  it("stops when its signal is aborted", async () => {
    const abort = new AbortController();
    const running = stubExecutor.run(task("work: 5000"), { ...ctx(), signal: abort.signal });
    abort.abort(new Error("terminated"));
    await expect(running).rejects.toThrow("terminated");
  });
});
