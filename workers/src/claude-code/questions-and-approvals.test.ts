import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { callTool, say } from "../../../test/fake-anthropic/script.ts";
import { harnessPerTest } from "./harness.ts";

// The real Claude Code binary, driven by the SDK, against a fake Messages API.
describe("Claude Code executor: questions and approvals", () => {
  const start = harnessPerTest();
  const echoToFile = callTool("Bash", { command: "echo made > by-bash.txt", description: "Write a file" });

  it("asks the person with ask_human and gives the model the answer", async () => {
    const h = await start(
      [
        callTool("mcp__agentvine__ask_human", { question: "Which library?" }, "I need to ask."),
        (req) => say(`The person chose ${req.toolResults[0]?.text}.`),
      ],
      { ask: async () => "zod" },
    );
    const { output, report } = await h.run();

    expect(h.asked).toEqual(["Which library?"]);
    expect(h.fake.requests[0]?.tools).toContain("mcp__agentvine__ask_human");
    expect(h.fake.requests[1]?.toolResults).toEqual([
      expect.objectContaining({ tool: "mcp__agentvine__ask_human", text: "zod", isError: false }),
    ]);
    expect(output).toBe("The person chose zod.");
    // ask_human never needs a permission, even when every tool asks.
    expect(h.approvals).toEqual([]);
    expect(h.steps.map((s) => s.step)).toEqual(["ask_human: Which library?"]);
    expect(report?.transcript).toContain("Which library?");
    expect(report?.transcript).toMatch(/result: zod/);
    // The run's config dir and home are gone.
    expect(readdirSync(h.claudeHome)).toEqual([]);
  });

  it("runs under the session id the worker gave it and reports what it spent", async () => {
    const h = await start([say("Nothing to do.")]);
    const { report } = await h.run();

    expect(h.fake.requests.map((r) => r.sessionId)).toEqual([h.ctx.sessionId]);
    expect(report).toMatchObject({
      turns: 1,
      inputTokens: 100,
      outputTokens: 20,
      transcriptTruncated: false,
    });
    expect(report?.costUsd).toBeGreaterThan(0);
    expect(report?.durationMs).toBeGreaterThan(0);
  });

  it("runs a command the person allowed", async () => {
    const h = await start([echoToFile, (req) => say(`Bash said: ${req.toolResults[0]?.text}`)], {
      approve: async () => ({ allow: true }),
    });
    const { output, report } = await h.run({ permissionMode: "ask" });

    expect(h.approvals).toEqual([
      {
        tool: "Bash",
        summary: "Bash: echo made > by-bash.txt",
        input: expect.stringContaining('"command":"echo made > by-bash.txt"'),
      },
    ]);
    expect(readFileSync(join(h.workspace, "by-bash.txt"), "utf8")).toBe("made\n");
    expect(output).toMatch(/^Bash said:/);
    expect(report?.transcript).toContain("approval Bash: echo made > by-bash.txt: allowed");
  });

  it("gives the model a denial as the tool's error, and still ends cleanly", async () => {
    const h = await start(
      [echoToFile, (req) => say(`Denied: ${req.toolResults[0]?.isError} ${req.toolResults[0]?.text}`)],
      {
        approve: async () => ({ allow: false, message: "Not on my machine" }),
      },
    );
    const { output } = await h.run({ permissionMode: "ask" });

    expect(h.fake.requests[1]?.toolResults[0]).toMatchObject({ tool: "Bash", isError: true });
    expect(output).toMatch(/^Denied: true .*Not on my machine/);
    expect(existsSync(join(h.workspace, "by-bash.txt"))).toBe(false);
  });

  it("lets edits through in acceptEdits and asks for commands only", async () => {
    // A step is made when its request comes: the workspace exists by then.
    const write = () => callTool("Write", { file_path: join(h.workspace, "notes.txt"), content: "hello" });
    const runNode = callTool("Bash", { command: 'node -e "process.exit(0)"', description: "Run node" });
    const h = await start([write, runNode, say("Both done.")], { approve: async () => ({ allow: true }) });
    await h.run({ permissionMode: "acceptEdits" });

    expect(h.approvals.map((a) => a.tool)).toEqual(["Bash"]);
    expect(readFileSync(join(h.workspace, "notes.txt"), "utf8")).toBe("hello");
  });

  it("asks nothing in bypass mode", async () => {
    // The harness fails any approval request: none may come.
    const h = await start([echoToFile, say("Done.")]);
    await h.run({ permissionMode: "bypass" });

    expect(h.approvals).toEqual([]);
    expect(readFileSync(join(h.workspace, "by-bash.txt"), "utf8")).toBe("made\n");
  });
});
