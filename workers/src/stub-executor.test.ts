import type { TaskInfo } from "@agentvine/core/task/schema";
import { describe, expect, it } from "vitest";
import { AgentParked, type ExecutionContext, ExecutionFailed, ParkRequested } from "./executor.ts";
import { parseDirectives, stubExecutor } from "./stub-executor.ts";

const task = (description: string) => ({ id: "t1", title: "Stub", description }) as TaskInfo;
const ctx = (answers: string[] = [], resume: ExecutionContext["resume"] = null) => {
  const asked: string[] = [];
  const reported: number[] = [];
  return {
    asked,
    reported,
    signal: new AbortController().signal,
    sessionId: "s1",
    workspace: null,
    resume,
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

  it("parks at a question with its step and output, and resumes there with the answer", async () => {
    const abort = new AbortController();
    const description = "work: 1\nask: Which library?\nask: Which version?";
    const asked: string[] = [];
    const parking = stubExecutor.run(task(description), {
      ...ctx(),
      signal: abort.signal,
      ask: (q) => {
        asked.push(q);
        return new Promise<string>((_, reject) =>
          abort.signal.addEventListener("abort", () => reject(abort.signal.reason)),
        );
      },
    });
    setTimeout(() => abort.abort(new ParkRequested("r1")), 20);
    const parked = await parking.catch((err: unknown) => err);

    expect(parked).toBeInstanceOf(AgentParked);
    const state = (parked as AgentParked).state;
    expect(state).toEqual({ step: 1, output: ['Working on "Stub"', "Worked 1 ms"] });

    const resumed = ctx(["4"], { state, answer: { message: "Use zod", decision: null } });
    const { output } = await stubExecutor.run(task(description), resumed);

    // The question it parked on is not asked again; the next one is.
    expect(resumed.asked).toEqual(["Which version?"]);
    expect(output.split("\n")).toEqual([
      'Working on "Stub"',
      "Worked 1 ms",
      "Asked: Which library?",
      "Answer: Use zod",
      "Asked: Which version?",
      "Answer: 4",
      "Done",
    ]);
  });

  it("stops with the abort's reason at a question when the abort is not a park", async () => {
    const abort = new AbortController();
    const ask = async () => {
      abort.abort(new Error("terminated"));
      throw abort.signal.reason;
    };
    const c = { ...ctx(), signal: abort.signal, ask };
    await expect(stubExecutor.run(task("ask: Anyone?"), c)).rejects.toThrow("terminated");
  });
});
