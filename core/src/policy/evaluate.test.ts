import { describe, expect, it } from "vitest";
import { evaluate, type RequestFacts } from "./evaluate.ts";
import { Rule } from "./rule.ts";

const rules = (...raw: unknown[]) => raw.map((r) => Rule.parse(r));
const question = (text: string, more: Partial<RequestFacts> = {}): RequestFacts => ({
  kind: "question",
  text,
  taskType: "feature",
  ...more,
});
const approval = (tool: string, input: object, more: Partial<RequestFacts> = {}): RequestFacts => ({
  kind: "approval",
  text: JSON.stringify(input),
  tool,
  taskType: "feature",
  ...more,
});

describe("policy evaluator", () => {
  it("no rule matches: a person decides", () => {
    expect(evaluate([], question("Which library?"))).toEqual({ rule: null, action: "human" });
    const policy = rules({ id: "tests", when: { match: "tests?" }, then: "reply", reply: "Yes" });
    expect(evaluate(policy, question("Which library?")).action).toBe("human");
  });

  it("the first matching rule decides, whatever comes after it", () => {
    const policy = rules(
      { id: "ask-prod", when: { match: "prod" }, then: "human" },
      { id: "run-tests", when: { match: "test" }, then: "reply", reply: "Yes, run them" },
      { id: "rest", when: {}, then: "controller" },
    );
    expect(evaluate(policy, question("May I run the tests against prod?")).rule?.id).toBe("ask-prod");
    expect(evaluate(policy, question("May I run the tests?")).rule?.id).toBe("run-tests");
    expect(evaluate(policy, question("Which library?"))).toMatchObject({
      rule: { id: "rest" },
      action: "controller",
    });
  });

  it("match is a regular expression on a question's text or an approval's JSON input", () => {
    const policy = rules(
      { id: "echo", when: { tool: "Bash", match: '"command":"(echo|ls)\\b' }, then: "allow" },
      {
        id: "zod",
        when: { kind: "question", match: "^Which (library|package)" },
        then: "reply",
        reply: "zod",
      },
    );
    expect(evaluate(policy, approval("Bash", { command: "echo hi > a.txt" })).rule?.id).toBe("echo");
    expect(evaluate(policy, approval("Bash", { command: "rm -rf build" })).action).toBe("human");
    expect(evaluate(policy, question("Which package?")).rule?.id).toBe("zod");
    expect(evaluate(policy, question("So which library?")).action).toBe("human");
  });

  it("tool, taskType and repository must each hold when given", () => {
    const policy = rules(
      { id: "edit-docs", when: { tool: "Edit", taskType: "docs" }, then: "allow" },
      { id: "repo", when: { repository: "https://github.com/acme/site.git" }, then: "controller" },
    );
    expect(evaluate(policy, approval("Edit", {}, { taskType: "docs" })).rule?.id).toBe("edit-docs");
    expect(evaluate(policy, approval("Edit", {}, { taskType: "bugfix" })).action).toBe("human");
    expect(evaluate(policy, approval("Write", {}, { taskType: "docs" })).action).toBe("human");
    const onSite = { repository: "https://github.com/acme/site.git" };
    expect(evaluate(policy, question("?", onSite)).rule?.id).toBe("repo");
    expect(evaluate(policy, question("?", { repository: "https://github.com/acme/api.git" })).action).toBe(
      "human",
    );
  });

  it("allow and deny match approvals only, a reply questions only, even without a kind", () => {
    const policy = rules(
      { id: "deny-all", when: {}, then: "deny" },
      { id: "answer-all", when: {}, then: "reply", reply: "Carry on" },
    );
    expect(evaluate(policy, approval("Bash", {})).rule?.id).toBe("deny-all");
    expect(evaluate(policy, question("?")).rule?.id).toBe("answer-all");
    // A rule naming a tool is about approvals.
    const byTool = rules({ id: "bash", when: { tool: "Bash" }, then: "controller" });
    expect(evaluate(byTool, question("Bash?")).action).toBe("human");
  });
});
