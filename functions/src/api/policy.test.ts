import { describe, expect, it } from "vitest";
import { claimedTask, expectError, expectInvalid, fieldsOf, useApiHarness } from "../../../test/api.ts";

describe("GET/PUT /api/v1/policy", () => {
  const h = useApiHarness("api-policy");
  const put = (body: unknown, token = h.tokens.admin) => h.call("PUT", "/api/v1/policy", token, body);
  const reply = { id: "tests", when: { match: "tests?$" }, then: "reply", reply: "Yes, run them" };

  it("starts empty at version 0; each write bumps the version; a stale write is a 409", async () => {
    expect((await h.call("GET", "/api/v1/policy", h.tokens.admin)).body).toEqual({
      rules: [],
      version: 0,
      updatedAt: null,
      updatedBy: null,
    });
    const first = await put({ rules: [reply], ifVersion: 0 });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toMatchObject({ rules: [reply], version: 1, updatedBy: "Ada admin" });
    expect((await h.call("GET", "/api/v1/policy", h.tokens.admin)).body).toEqual(first.body);

    const stale = await put({ rules: [], ifVersion: 0 });
    expectError(stale, 409, "policy.version_conflict");
    expect(stale.body.error.details).toEqual({ version: 1 });
    const second = await put({ rules: [{ id: "rest", then: "controller" }], ifVersion: 1 });
    expect(second.body).toMatchObject({ rules: [{ id: "rest", when: {}, then: "controller" }], version: 2 });
    expectError(await put({ rules: [reply], ifVersion: 1 }), 409, "policy.version_conflict");
    // Each write is a line on the timeline, saying who set how many rules.
    const lines = (await h.call("GET", "/api/v1/activity", h.tokens.viewer)).body.items
      .filter((a: { type: string }) => a.type === "policy.updated")
      .map((a: { summary: string }) => a.summary);
    expect(lines).toEqual([
      "Ada admin set 1 routing rule (version 2)",
      "Ada admin set 1 routing rule (version 1)",
    ]);
  });

  it("refuses invalid rules with a 400 naming the rule's field", async () => {
    const cases: [unknown, string][] = [
      [{ id: "bad", when: { match: "(" }, then: "human" }, "rules[1].when.match"],
      [{ id: "empty", then: "reply" }, "rules[1].reply"],
      [{ id: "allow-q", when: { kind: "question" }, then: "allow" }, "rules[1].then"],
      [{ id: "tests", then: "human" }, "rules[1].id"],
      [{ id: "x", then: "approve" }, "rules[1].then"],
      [{ id: "x", then: "human", when: { who: "me" } }, "rules[1].when.who"],
    ];
    for (const [rule, field] of cases) {
      const res = await put({ rules: [reply, rule], ifVersion: 2 });
      expectInvalid(res, field);
    }
    const bad = await put({
      rules: [reply, { id: "bad", when: { match: "(" }, then: "human" }],
      ifVersion: 2,
    });
    expect(fieldsOf(bad)["rules[1].when.match"]).toMatch(/^rule "bad": not a valid regular expression/);
    expectInvalid(await put({ rules: [] }), "ifVersion");
  });

  it("is for admins only", async () => {
    for (const token of [h.tokens.operator, h.tokens.viewer]) {
      expectError(await h.call("GET", "/api/v1/policy", token), 403, "auth.forbidden");
      expectError(await put({ rules: [], ifVersion: 0 }, token), 403, "auth.forbidden");
    }
  });
});

describe("GET /api/v1/audit", () => {
  const h = useApiHarness("api-audit");

  it("lists the decisions on a task, by type, for the people reading", async () => {
    await h.call("PUT", "/api/v1/policy", h.tokens.admin, {
      rules: [{ id: "ls", when: { tool: "Bash", match: '"ls"' }, then: "allow" }],
      ifVersion: 0,
    });
    const { task, worker } = await claimedTask(h);
    const ask = (command: string) =>
      h.call("POST", "/api/v1/chat/messages", worker.token, {
        conversationId: task.id,
        messageType: "request",
        kind: "approval",
        tool: "Bash",
        input: JSON.stringify({ command }),
        message: `Bash: ${command}`,
      });
    const ls = await ask("ls");
    const make = await ask("make");
    const answered = await h.call("POST", "/api/v1/chat/messages", h.tokens.operator, {
      conversationId: task.id,
      messageType: "response",
      parentMessageId: make.body.id,
      decision: "deny",
    });
    expect(answered.body.decidedBy).toMatchObject({ type: "person" });

    const all = await h.call("GET", `/api/v1/audit?taskId=${task.id}`, h.tokens.viewer);
    expect(all.status).toBe(200);
    expect(
      all.body.items.map((a: { requestId: string; outcome: string }) => [a.requestId, a.outcome]),
    ).toEqual([
      [make.body.id, "denied"],
      [ls.body.id, "allowed"],
    ]);
    const byRule = await h.call(
      "GET",
      `/api/v1/audit?taskId=${task.id}&type=rule&limit=10`,
      h.tokens.operator,
    );
    expect(byRule.body.items).toEqual([
      expect.objectContaining({ requestId: ls.body.id, decidedBy: { type: "rule", id: "ls" }, ruleId: "ls" }),
    ]);
    // Both filters: the type is applied to each page as read, so a page may come back empty
    // with a cursor (the newest decision was a person's), and paging on finds the rule's.
    const first = await h.call("GET", `/api/v1/audit?taskId=${task.id}&type=rule&limit=1`, h.tokens.viewer);
    expect(first.body).toMatchObject({ items: [], nextCursor: expect.any(String) });
    const next = await h.call(
      "GET",
      `/api/v1/audit?taskId=${task.id}&type=rule&limit=1&cursor=${encodeURIComponent(first.body.nextCursor)}`,
      h.tokens.viewer,
    );
    expect(next.body.items).toEqual([expect.objectContaining({ requestId: ls.body.id })]);
    expectInvalid(await h.call("GET", "/api/v1/audit?type=robot", h.tokens.admin), "type");
    expectError(await h.call("GET", "/api/v1/audit", worker.token), 403, "auth.forbidden");
  });
});
