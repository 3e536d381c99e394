import { setTimeout as sleep } from "node:timers/promises";
import {
  AgentParked,
  type ExecutionContext,
  ExecutionFailed,
  type Executor,
  ParkRequested,
} from "./executor.ts";

type Directive = { kind: "ask" | "work" | "fail" | "crash"; value: string };

/**
 * Directives, one per line of the description: `ask: <question>`, `work: <ms>`,
 * `fail: <reason>`, and `crash: <exit code>` (the agent takes its worker process down, to
 * exercise crash recovery).
 */
export const parseDirectives = (description: string): Directive[] =>
  description.split("\n").flatMap((line) => {
    const m = /^\s*(ask|work|fail|crash)\s*:\s*(.*?)\s*$/i.exec(line);
    return m?.[1] && m[2] !== undefined
      ? [{ kind: m[1].toLowerCase() as Directive["kind"], value: m[2] }]
      : [];
  });

/** Without directives: a short piece of simulated work. */
const DEFAULT_STEPS: Directive[] = [{ kind: "work", value: "300" }];

/** Where a parked stub stopped: the step it was asking at, and its output so far. */
export interface StubState {
  step: number;
  output: string[];
}

const isStubState = (state: unknown): state is StubState =>
  typeof state === "object" &&
  state !== null &&
  Number.isInteger((state as StubState).step) &&
  Array.isArray((state as StubState).output);

/**
 * The phase-1 stub agent, scripted by the task's description so people and tests can drive
 * it: it works, asks, fails as told, and puts the answers it got into its output. Parked at a
 * question, it hands over its step and output; resumed, it goes on from that step with the answer.
 */
export const stubExecutor: Executor = {
  usesWorkspace: false,
  async run(task, ctx) {
    const steps = parseDirectives(task.description);
    const plan = steps.length ? steps : DEFAULT_STEPS;
    const resume = ctx.resume;
    if (resume && !isStubState(resume.state)) throw new Error("The stub cannot resume from this state");
    const start = resume ? (resume.state as StubState) : { step: 0, output: [`Working on "${task.title}"`] };
    const output = [...start.output];
    for (const [i, step] of plan.entries()) {
      if (i < start.step) continue;
      ctx.signal.throwIfAborted();
      const percent = Math.round((i / plan.length) * 100);
      if (step.kind === "work") {
        const ms = Math.min(Number(step.value) || 0, 10 * 60_000);
        // The report goes out while the work goes on (it waits for the session to open): work
        // held up by its report would cost a round trip or more per step. A refused report
        // still fails the step.
        await Promise.all([
          ctx.progress(percent, `Working for ${ms} ms`),
          // An abort surfaces as its reason (session terminated, worker stopping), not a bare AbortError.
          sleep(ms, undefined, { signal: ctx.signal }).catch(() => ctx.signal.throwIfAborted()),
        ]);
        output.push(`Worked ${ms} ms`);
      } else if (step.kind === "ask") {
        // The answer a resumed run was waiting for is this step's: it is not asked again.
        const answer =
          resume && i === start.step
            ? resume.answer.message
            : await ask(ctx, step.value, percent, { step: i, output });
        output.push(`Asked: ${step.value}`, `Answer: ${answer}`);
      } else if (step.kind === "crash") {
        process.exit(Number(step.value) || 137);
      } else {
        throw new ExecutionFailed(step.value || "Told to fail");
      }
    }
    output.push("Done");
    return { output: output.join("\n") };
  },
};

/** Asks; a park while the question waits becomes AgentParked with where the stub stands. */
const ask = async (ctx: ExecutionContext, question: string, percent: number, state: StubState) => {
  await ctx.progress(percent, `Asking: ${question}`);
  try {
    return await ctx.ask(question);
  } catch (err) {
    if (ctx.signal.reason instanceof ParkRequested) throw new AgentParked(state);
    throw err;
  }
};
