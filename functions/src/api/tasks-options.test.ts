import { configFromEnv } from "@agentvine/core/config";
import { describe, expect, it } from "vitest";
import { apiHarness, expectInvalid, fieldsOf, useApiHarness } from "../../../test/api.ts";

const TASKS = "/api/v1/tasks";

describe("tasks API: agent options", () => {
  const h = useApiHarness("api-task-options");

  it("stores each option and reads it back", async () => {
    const options = {
      agent: "claude-code",
      model: "claude-sonnet-4-5@20250929",
      permissionMode: "acceptEdits",
      maxTurns: 40,
      maxBudgetUsd: 2.5,
      repositoryUrl: "git@github.com:acme/web.git",
    };
    const res = await h.call("POST", TASKS, h.tokens.operator, { title: "Real work", ...options });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject(options);
    expect((await h.call("GET", `${TASKS}/${res.body.id}`, h.tokens.viewer)).body).toMatchObject(options);
    const bypass = await h.call("POST", TASKS, h.tokens.operator, { title: "b", permissionMode: "bypass" });
    expect(bypass.body.permissionMode).toBe("bypass");
  });

  it("defaults: the stub agent, ask for permissions, no model and no caps", async () => {
    const res = await h.call("POST", TASKS, h.tokens.operator, { title: "Plain" });
    expect(res.body).toMatchObject({
      agent: "stub",
      permissionMode: "ask",
      model: null,
      maxTurns: null,
      maxBudgetUsd: null,
    });
  });

  it("the deployment's default agent applies when the task names none", async () => {
    const claude = await apiHarness("api-task-default-agent", {
      config: configFromEnv({ AGENTVINE_DEFAULT_AGENT: "claude-code" }),
    });
    const res = await claude.call("POST", TASKS, claude.tokens.operator, { title: "Default" });
    expect(res.body.agent).toBe("claude-code");
    const stub = await claude.call("POST", TASKS, claude.tokens.operator, { title: "Own", agent: "stub" });
    expect(stub.body.agent).toBe("stub");
    expect(() => configFromEnv({ AGENTVINE_DEFAULT_AGENT: "codex" })).toThrow(/^AGENTVINE_DEFAULT_AGENT: /);
    expect(configFromEnv({}).defaultAgent).toBe("stub");
  });

  it("400 naming each bad option, and nothing stored", async () => {
    const before = (await h.call("GET", `${TASKS}?limit=100`, h.tokens.viewer)).body.items.length;
    const cases: [Record<string, unknown>, string][] = [
      [{ agent: "codex" }, "agent"],
      [{ agent: 1 }, "agent"],
      [{ model: "" }, "model"],
      [{ model: "m".repeat(101) }, "model"],
      [{ model: "claude sonnet" }, "model"],
      [{ model: "$(rm -rf /)" }, "model"],
      [{ permissionMode: "yolo" }, "permissionMode"],
      [{ maxTurns: 0 }, "maxTurns"],
      [{ maxTurns: 501 }, "maxTurns"],
      [{ maxTurns: 2.5 }, "maxTurns"],
      [{ maxTurns: "10" }, "maxTurns"],
      [{ maxBudgetUsd: 0 }, "maxBudgetUsd"],
      [{ maxBudgetUsd: -1 }, "maxBudgetUsd"],
      [{ maxBudgetUsd: 1000.01 }, "maxBudgetUsd"],
    ];
    for (const [options, field] of cases) {
      expectInvalid(await h.call("POST", TASKS, h.tokens.operator, { title: "bad", ...options }), field);
    }
    const all = await h.call("POST", TASKS, h.tokens.operator, {
      title: "bad",
      agent: "codex",
      permissionMode: "yolo",
      maxTurns: 0,
      maxBudgetUsd: 0,
      model: "a b",
    });
    expect(Object.keys(fieldsOf(all)).sort()).toEqual([
      "agent",
      "maxBudgetUsd",
      "maxTurns",
      "model",
      "permissionMode",
    ]);
    const after = (await h.call("GET", `${TASKS}?limit=100`, h.tokens.viewer)).body.items.length;
    expect(after).toBe(before);
  });

  it("repositoryUrl: https, http, ssh, scp-like and file:/// forms; never credentials", async () => {
    for (const url of [
      "https://github.com/acme/web.git",
      "http://git.internal/acme/web",
      "ssh://git@github.com/acme/web.git",
      "git@github.com:acme/web.git",
      "file:///srv/git/web.git",
    ]) {
      const res = await h.call("POST", TASKS, h.tokens.operator, { title: "u", repositoryUrl: url });
      expect(res.status, url).toBe(201);
      expect(res.body.repositoryUrl).toBe(url);
    }
    for (const url of [
      "https://alice:s3cret@github.com/acme/web.git",
      "https://ghp_abcdef0123456789@github.com/acme/web.git",
      "ssh://git:s3cret@github.com/acme/web.git",
    ]) {
      const res = await h.call("POST", TASKS, h.tokens.operator, { title: "u", repositoryUrl: url });
      expectInvalid(res, "repositoryUrl");
      expect(fieldsOf(res).repositoryUrl).toBe("repositoryUrl must not contain credentials");
      // The secret is not echoed back either.
      expect(JSON.stringify(res.body)).not.toContain("s3cret");
    }
    for (const url of ["ftp://host/repo", "file://host/repo", "file:relative", "git@host:-oProxyCommand=x"]) {
      expectInvalid(
        await h.call("POST", TASKS, h.tokens.operator, { title: "u", repositoryUrl: url }),
        "repositoryUrl",
      );
    }
  });
});
