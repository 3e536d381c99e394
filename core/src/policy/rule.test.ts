import { describe, expect, it } from "vitest";
import { Rules } from "./rule.ts";

/** The path and message of each problem with a list of rules. */
const problems = (raw: unknown[]) => {
  const result = Rules.safeParse(raw);
  return result.success
    ? {}
    : Object.fromEntries(result.error.issues.map((i) => [i.path.join("."), i.message]));
};

describe("policy rules: validation", () => {
  it("accepts a well-formed policy", () => {
    expect(
      problems([
        {
          id: "echo",
          when: { tool: "Bash", match: '^\\{"command":"echo ' },
          then: "allow",
          note: "harmless",
        },
        { id: "tests", when: { kind: "question", match: "tests?" }, then: "reply", reply: "Yes" },
        { id: "rest", then: "controller" },
      ]),
    ).toEqual({});
  });

  it("names the rule and the field of each problem", () => {
    expect(
      problems([
        { id: "bad-regex", when: { match: "(unclosed" }, then: "human" },
        { id: "no-text", then: "reply" },
        { id: "allow-question", when: { kind: "question" }, then: "allow" },
        { id: "reply-approval", when: { kind: "approval" }, then: "reply", reply: "ok" },
        { id: "question-tool", when: { tool: "Bash" }, then: "reply", reply: "ok" },
        { id: "stray-reply", then: "human", reply: "ok" },
        { id: "bad-regex", then: "human" },
        { id: "slow-regex", when: { match: "^(\\w+\\s?)*$" }, then: "human" },
      ]),
    ).toEqual({
      "0.when.match": expect.stringMatching(/^rule "bad-regex": not a valid regular expression/),
      "1.reply": 'rule "no-text": a reply rule needs the reply text',
      "2.then": 'rule "allow-question": allow decides approvals, but the rule matches questions',
      "3.then": 'rule "reply-approval": reply decides questions, but the rule matches approvals',
      "4.when.tool": 'rule "question-tool": only approvals name a tool; questions do not',
      "5.reply": 'rule "stray-reply": only a reply rule has a reply',
      "6.id": 'rule "bad-regex": another rule has this id',
      "7.when.match":
        'rule "slow-regex": its repetitions nest (as in (a+)+), which can take exponential time: flatten it',
    });
  });

  it("refuses unknown actions and fields", () => {
    expect(
      Object.keys(
        problems([
          { id: "x", then: "approve" },
          { id: "y", then: "human", when: { who: "me" } },
        ]),
      ),
    ).toEqual(["0.then", "1.when"]);
  });
});
