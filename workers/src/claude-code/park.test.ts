import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { FakeRequest } from "../../../test/fake-anthropic/request.ts";
import { callTool, say } from "../../../test/fake-anthropic/script.ts";
import { AgentParked, type ExecutionContext, ExecutionFailed, ParkRequested } from "../executor.ts";
import { type Harness, harnessPerTest } from "./harness.ts";
import type { ClaudeParkState } from "./park-state.ts";

/** A wait that only the run's abort ends (as the worker's does when it parks), after telling `waiting`. */
const waitForPark = (h: () => Harness, waiting: () => void) => () => {
  waiting();
  const { signal } = h().abort;
  return new Promise<never>((_, reject) => signal.addEventListener("abort", () => reject(signal.reason)));
};

/** The blocks of every message a request carries, as one JSON text to search. */
const conversation = (req: FakeRequest | undefined) => JSON.stringify(req?.body.messages ?? []);

// The real Claude Code binary, parked while it waits on a person and resumed in another home and checkout.
// Two runs of the CLI per test: twice the time of one.
describe("Claude Code executor: parked and resumed", { timeout: 60_000 }, () => {
  const start = harnessPerTest();

  /** Runs until the agent waits on a person, then parks it: the AgentParked error, and its state. */
  const parkWhileWaiting = async (h: Harness, waiting: Promise<void>, task: Record<string, unknown>) => {
    const running = h.run(task).catch((err: unknown) => err);
    await waiting;
    h.abort.abort(new ParkRequested("r1"));
    const parked = await running;
    expect(parked).toBeInstanceOf(AgentParked);
    return { parked: parked as AgentParked, state: (parked as AgentParked).state as ClaudeParkState };
  };
  const resumed = (
    state: ClaudeParkState,
    sessionId: string,
    answer: NonNullable<ExecutionContext["resume"]>["answer"],
  ) => ({ sessionId, resume: { state, answer } }) satisfies Partial<ExecutionContext>;

  it("parks at ask_human with its transcript and sends nothing more; resumed elsewhere, the answer is the next message of the same session", async () => {
    let asked!: () => void;
    const waiting = new Promise<void>((r) => {
      asked = r;
    });
    const first: Harness = await start(
      [
        () =>
          callTool("Write", { file_path: join(first.workspace, "before.txt"), content: "before parking" }),
        callTool("mcp__agentvine__ask_human", { question: "Which library?" }, "I need to ask."),
      ],
      { ask: waitForPark(() => first, asked) },
    );
    const { parked, state } = await parkWhileWaiting(first, waiting, { permissionMode: "bypass" });

    // What the run used up to the park: two replies (the second came as two messages, text and
    // tool call, counted once), and no cost, which only the CLI's result gives.
    expect(parked.report).toMatchObject({ turns: 2, inputTokens: 200, outputTokens: 40 });
    expect(parked.report?.costUsd).toBeUndefined();
    expect(parked.report?.transcript).toContain("I need to ask.");

    // Killed while frozen: no model request after the question (a close would have sent one).
    expect(first.fake.requests).toHaveLength(2);
    expect(readFileSync(join(first.workspace, "before.txt"), "utf8")).toBe("before parking");
    expect(state.pending).toEqual({ kind: "question", question: "Which library?" });
    const said = state.transcript
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { type: string; message?: { content?: unknown } })
      .filter((entry) => entry.type === "assistant" || entry.type === "user")
      .map((entry) => JSON.stringify(entry.message?.content));
    // The transcript ends on the question asked, which has no result: the CLI was killed in it.
    expect(said.at(-1)).toContain('"name":"mcp__agentvine__ask_human"');
    expect(said.filter((content) => content.includes("tool_result"))).toHaveLength(1);

    const second = await start(
      [(req) => say(`Resumed after ${req.body.messages?.length} messages`)],
      {},
      first.fake,
    );
    const { output } = await second.run(
      { permissionMode: "bypass" },
      resumed(state, first.ctx.sessionId, { message: "Use zod", decision: null }),
    );

    const req = first.fake.requests[2];
    expect(req?.sessionId).toBe(first.ctx.sessionId);
    expect(conversation(req)).toContain("before parking");
    expect(conversation(req)).toContain("Which library?");
    expect(JSON.stringify(req?.body.messages?.at(-1))).toContain("Use zod");
    expect(output).toMatch(/^Resumed/);
  });

  it("a task's maxTurns counts across its runs: the resumed run gets the turns left", async () => {
    let asked!: () => void;
    const waiting = new Promise<void>((r) => {
      asked = r;
    });
    const first: Harness = await start(
      [
        () => callTool("Write", { file_path: join(first.workspace, "a.txt"), content: "a" }),
        callTool("mcp__agentvine__ask_human", { question: "Go on?" }),
      ],
      { ask: waitForPark(() => first, asked) },
    );
    const task = { permissionMode: "bypass", maxTurns: 3 };
    const { state } = await parkWhileWaiting(first, waiting, task);
    expect(state.turnsUsed).toBe(2);

    // Three more replies would fit a maxTurns of 3 counted from the resume; one turn is left.
    const write = (file: string) => () =>
      callTool("Write", { file_path: join(second.workspace, file), content: file });
    const second: Harness = await start([write("b.txt"), write("c.txt"), say("Done")], {}, first.fake);
    const failed = await second
      .run(task, resumed(state, first.ctx.sessionId, { message: "Yes", decision: null }))
      .catch((err: unknown) => err);

    expect(failed).toBeInstanceOf(ExecutionFailed);
    expect((failed as ExecutionFailed).message).toMatch(
      /^Claude Code reached the turn limit \(maxTurns 3\) after \d+ turns \(\d+ in this run\)$/,
    );
    expect(first.fake.requests.length).toBeLessThan(2 + 3);
  });

  it("parks at an approval; allowed meanwhile, the identical call runs after the resume without asking again", async () => {
    const bash = callTool("Bash", { command: "echo made > by-bash.txt", description: "Write a file" });
    let asked!: () => void;
    const waiting = new Promise<void>((r) => {
      asked = r;
    });
    const first: Harness = await start([bash], { approve: waitForPark(() => first, asked) });
    const { state } = await parkWhileWaiting(first, waiting, { permissionMode: "ask" });

    expect(state.pending).toEqual({
      kind: "approval",
      tool: "Bash",
      input: { command: "echo made > by-bash.txt", description: "Write a file" },
    });
    expect(existsSync(join(first.workspace, "by-bash.txt"))).toBe(false);

    // The harness fails any approval request: none may come for the call that was allowed.
    const second = await start(
      [bash, (req) => say(`Bash ran: ${req.toolResults[0]?.isError === false}`)],
      {},
      first.fake,
    );
    const { output } = await second.run(
      { permissionMode: "ask" },
      resumed(state, first.ctx.sessionId, { message: "", decision: "allow" }),
    );

    expect(second.approvals).toEqual([]);
    expect(JSON.stringify(first.fake.requests[1]?.body.messages?.at(-1))).toContain("allowed your call");
    expect(readFileSync(join(second.workspace, "by-bash.txt"), "utf8")).toBe("made\n");
    expect(output).toBe("Bash ran: true");
  });
});
