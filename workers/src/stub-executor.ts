import { setTimeout as sleep } from "node:timers/promises";
import { ExecutionFailed, type Executor } from "./executor.ts";

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

/**
 * The phase-1 stub agent, scripted by the task's description so people and tests can drive
 * it: it works, asks, fails as told, and puts the answers it got into its output.
 */
export const stubExecutor: Executor = {
  usesWorkspace: false,
  async run(task, ctx) {
    const steps = parseDirectives(task.description);
    const plan = steps.length ? steps : DEFAULT_STEPS;
    const output = [`Working on "${task.title}"`];
    for (const [i, step] of plan.entries()) {
      ctx.signal.throwIfAborted();
      const percent = Math.round((i / plan.length) * 100);
      if (step.kind === "work") {
        const ms = Math.min(Number(step.value) || 0, 10 * 60_000);
        await ctx.progress(percent, `Working for ${ms} ms`);
        // An abort surfaces as its reason (session terminated, worker stopping), not a bare AbortError.
        await sleep(ms, undefined, { signal: ctx.signal }).catch(() => ctx.signal.throwIfAborted());
        output.push(`Worked ${ms} ms`);
      } else if (step.kind === "ask") {
        await ctx.progress(percent, `Asking: ${step.value}`);
        const answer = await ctx.ask(step.value);
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
