import { describe, expect, it } from "vitest";
import { grantedCall, resumePrompt } from "./park-state.ts";

const bash = { kind: "approval" as const, tool: "Bash", input: { command: "npm test" } };

describe("resuming a parked Claude Code run", () => {
  it("tells the model the answer, the leave or the refusal it waited for", () => {
    expect(
      resumePrompt({ kind: "question", question: "Which library?" }, { message: "zod", decision: null }),
    ).toBe("The person answered your question (Which library?):\n\nzod");
    expect(resumePrompt(bash, { message: "", decision: "allow" })).toMatch(
      /^The person allowed your call \(Bash: npm test\)\. Make that same call again/,
    );
    expect(resumePrompt(bash, { message: "Not now", decision: "deny" })).toBe(
      "The person denied your call (Bash: npm test): Not now",
    );
  });

  it("allows the identical first call of the allowed tool once, and nothing else", () => {
    const granted = grantedCall(bash, { message: "", decision: "allow" });
    expect(granted("Read", { file_path: "x" })).toBe(false);
    expect(granted("Bash", { command: "npm test" })).toBe(true);
    expect(granted("Bash", { command: "npm test" })).toBe(false);

    const otherFirst = grantedCall(bash, { message: "", decision: "allow" });
    expect(otherFirst("Bash", { command: "rm -rf /" })).toBe(false);
    expect(otherFirst("Bash", { command: "npm test" })).toBe(false);

    expect(grantedCall(bash, { message: "no", decision: "deny" })("Bash", { command: "npm test" })).toBe(
      false,
    );
  });
});
