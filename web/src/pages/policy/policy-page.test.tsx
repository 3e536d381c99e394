import type { PolicyInfo } from "@agentvine/client";
import { fireEvent, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { parseRules } from "../../lib/policy.ts";
import { page } from "../../test/fixtures.ts";
import { mockApi, renderApp } from "../../test/render.tsx";
import { EXAMPLE_RULES } from "./policy-editor.tsx";
import { PolicyPage } from "./policy-page.tsx";

const policy = (over: Partial<PolicyInfo> = {}): PolicyInfo => ({
  rules: [
    { id: "echo", when: { tool: "Bash", match: '"command":"echo ' }, then: "allow", note: "harmless" },
    { id: "tests", when: { kind: "question" }, then: "reply", reply: "Yes" },
  ],
  version: 3,
  updatedAt: "2025-01-01T10:00:00.000Z",
  updatedBy: "Ada",
  ...over,
});

const error = (status: number, code: string, message: string, details: Record<string, unknown> = {}) => ({
  status,
  body: { error: { code, message, details } },
});

const editor = () => screen.getByLabelText(/Rules \(JSON\)/) as HTMLTextAreaElement;
const setRules = (rules: unknown) => fireEvent.change(editor(), { target: { value: JSON.stringify(rules) } });

describe("policy page", () => {
  it("shows the rules in words and the latest decisions with who made them", async () => {
    mockApi({
      "GET /policy": () => ({ body: policy() }),
      "GET /audit": () => ({
        body: page([
          {
            id: "a1",
            taskId: "t1",
            requestId: "r1",
            kind: "approval",
            tool: "Bash",
            decidedBy: { type: "rule", id: "echo" },
            outcome: "allowed",
            message: "Allowed",
            responseId: "m1",
            ruleId: "echo",
            reason: "harmless",
            createdAt: "2025-01-01T10:00:00.000Z",
          },
        ]),
      }),
    });
    renderApp(<PolicyPage />);
    expect(await screen.findByText(/approvals of Bash matching \/"command":"echo \/ → allow/)).toBeTruthy();
    expect(screen.getByText(/questions → reply "Yes"/)).toBeTruthy();
    expect(screen.getByText("Version 3, by Ada")).toBeTruthy();
    expect(await screen.findByText(/allowed by rule echo: harmless/)).toBeTruthy();
    expect(JSON.parse(editor().value)).toEqual(policy().rules);
  });

  it("saves over the version read and shows each field the API refuses", async () => {
    let saved = policy();
    const api = mockApi({
      "GET /policy": () => ({ body: saved }),
      "GET /audit": () => ({ body: page([]) }),
      "PUT /policy": (call) => {
        const { rules } = call.body as PolicyInfo;
        if (rules.some((r) => r.when?.match === "("))
          return error(400, "validation_failed", "Invalid request body", {
            fields: { "rules[0].when.match": 'rule "bad": not a valid regular expression' },
          });
        saved = { ...saved, rules, version: saved.version + 1 };
        return { body: saved };
      },
    });
    renderApp(<PolicyPage />);
    await screen.findByText("Version 3, by Ada");
    const user = userEvent.setup();

    setRules([{ id: "bad", when: { match: "(" }, then: "human" }]);
    await user.click(screen.getByRole("button", { name: "Save rules" }));
    expect(await screen.findByText("rules[0].when.match")).toBeTruthy();
    expect(screen.getByRole("alert").textContent).toContain('rule "bad": not a valid regular expression');

    setRules([{ id: "rest", when: {}, then: "controller" }]);
    await user.click(screen.getByRole("button", { name: "Save rules" }));
    await screen.findByText("Version 4, by Ada");
    const puts = api.calls.filter((c) => c.method === "PUT");
    expect(puts.map((c) => (c.body as { ifVersion: number }).ifVersion)).toEqual([3, 3]);
    expect(screen.getByText(/every request → ask the controller/)).toBeTruthy();
  });

  it("refuses what is not a JSON list before sending, and says when someone saved first", async () => {
    const api = mockApi({
      "GET /policy": () => ({ body: policy() }),
      "GET /audit": () => ({ body: page([]) }),
      "PUT /policy": () =>
        error(409, "policy.version_conflict", "The policy is at version 4, not 3", { version: 4 }),
    });
    renderApp(<PolicyPage />);
    await screen.findByText("Version 3, by Ada");
    const user = userEvent.setup();
    fireEvent.change(editor(), { target: { value: "{ not json" } });
    await user.click(screen.getByRole("button", { name: "Save rules" }));
    expect((await screen.findByRole("alert")).textContent).toMatch(/Not valid JSON/);
    expect(api.calls.filter((c) => c.method === "PUT")).toEqual([]);

    setRules([]);
    await user.click(screen.getByRole("button", { name: "Save rules" }));
    await waitFor(() => expect(screen.getByRole("alert").textContent).toMatch(/version 4, not 3/));
    expect(screen.getByRole("button", { name: "Load the newer version" })).toBeTruthy();
    // The edit is kept until the person reloads.
    expect(editor().value).toBe("[]");
  });

  it("shows the rule format with an example an admin can start from", async () => {
    mockApi({ "GET /policy": () => ({ body: policy() }), "GET /audit": () => ({ body: page([]) }) });
    renderApp(<PolicyPage />);
    const user = userEvent.setup();
    await user.click(await screen.findByText("Rule format"));
    const example = document.querySelector(".policy-example")?.textContent ?? "";
    expect(parseRules(example)).toEqual({ rules: EXAMPLE_RULES });
    expect(example).toContain('"then": "controller"');
  });

  it("tells a non-admin the policy is for admins", async () => {
    mockApi({ "GET /policy": () => error(403, "auth.forbidden", "Role operator may not do this") });
    renderApp(<PolicyPage />);
    expect(await screen.findByText("Only admins can read and change the routing policy.")).toBeTruthy();
  });
});
