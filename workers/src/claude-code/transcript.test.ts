import { describe, expect, it } from "vitest";
import { boundedJson, toolSummary } from "./tool-summary.ts";
import { TRANSCRIPT_MAX_CHARS, Transcript } from "./transcript.ts";

describe("transcript", () => {
  it("writes text, tool calls and results, one per line", () => {
    const t = new Transcript();
    t.add([
      { type: "text", text: "Let me look." },
      { type: "tool_use", name: "Read", input: { file_path: "a.ts" } },
    ]);
    t.add([{ type: "tool_result", content: [{ type: "text", text: "boom" }], is_error: true }]);
    expect(t.text).toBe('assistant: Let me look.\ntool Read: {"file_path":"a.ts"}\nresult (error): boom');
    expect(t.truncated).toBe(false);
  });

  it("stops at its bound and says so", () => {
    const t = new Transcript();
    for (let i = 0; i < 100; i++) t.add([{ type: "tool_result", content: "x".repeat(1_500) }]);
    expect(t.text).toHaveLength(TRANSCRIPT_MAX_CHARS);
    expect(t.truncated).toBe(true);
  });

  it("cuts one big result short", () => {
    const t = new Transcript();
    t.add([{ type: "tool_result", content: "y".repeat(10_000) }]);
    expect(t.text.length).toBeLessThan(2_100);
  });
});

describe("tool summary", () => {
  it("names the tool and what it acts on, on one line", () => {
    expect(toolSummary("Bash", { command: "npm test\n  -- --watch=false" })).toBe(
      "Bash: npm test -- --watch=false",
    );
    expect(toolSummary("Write", { file_path: "src/a.ts", content: "…" })).toBe("Write: src/a.ts");
    expect(toolSummary("mcp__agentvine__ask_human", { question: "Which?" })).toBe("ask_human: Which?");
    expect(toolSummary("TodoWrite", { todos: [] })).toBe('TodoWrite: {"todos":[]}');
    expect(toolSummary("Bash", { command: "x".repeat(500) })).toHaveLength(200);
  });

  it("bounds a tool's input as JSON, shortening long strings first so it stays JSON", () => {
    const json = boundedJson({ file_path: "src/a.ts", content: "z".repeat(10_000) }, 4_000);
    expect(json.length).toBeLessThanOrEqual(4_000);
    expect(JSON.parse(json)).toEqual({
      file_path: "src/a.ts",
      content: `${"z".repeat(1_000)}… (9000 more characters)`,
    });
    const many = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`f${i}`, "y".repeat(100)]));
    expect(boundedJson(many, 1_000)).toHaveLength(1_000);
    expect(boundedJson(undefined, 10)).toBe("null");
  });
});
