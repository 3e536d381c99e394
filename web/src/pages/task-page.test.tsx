import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { execution, page, task } from "../test/fixtures.ts";
import { mockApi, renderApp } from "../test/render.tsx";
import { TaskPage } from "./task-page.tsx";

const DIFF = [
  "diff --git a/src/app.ts b/src/app.ts",
  "--- a/src/app.ts",
  "+++ b/src/app.ts",
  "@@ -1,2 +1,2 @@",
  "-const port = 80;",
  "+const port = 8080;",
  " export { port };",
  "diff --git a/README.md b/README.md",
  "--- a/README.md",
  "+++ b/README.md",
  "@@ -3 +3,2 @@",
  " Run it.",
  "+Then test it.",
  "",
].join("\n");

const setup = (overrides: Partial<ReturnType<typeof task>> = {}) => {
  const t = task({
    id: "t1",
    title: "Fix the port",
    status: "completed",
    agent: "claude-code",
    model: "claude-sonnet-4-5",
    permissionMode: "acceptEdits",
    maxTurns: 40,
    maxBudgetUsd: 2.5,
    ...overrides,
  });
  const e = execution({
    taskId: "t1",
    costUsd: 0.1234,
    inputTokens: 12_345,
    outputTokens: 2_345,
    turns: 7,
    durationMs: 83_000,
    branch: "agentvine/t1",
    commitSha: "0123456789abcdef0123456789abcdef01234567",
    pushError: "remote: Permission to acme/app denied",
    files: [
      { path: "src/app.ts", added: 1, removed: 1 },
      { path: "README.md", added: 1, removed: 0 },
    ],
    diff: DIFF,
    diffTruncated: false,
    transcript: "assistant: reading src/app.ts\ntool: Edit",
    transcriptTruncated: true,
  });
  mockApi({
    "GET /tasks/t1": () => ({ body: t }),
    "GET /tasks/t1/executions": () => ({ body: page([e]) }),
    "GET /tasks/t1/history": () => ({ body: page([]) }),
    "GET /chat/messages": () => ({ body: page([]) }),
    "GET /workers": () => ({ body: page([]) }),
  });
  renderApp(<TaskPage />, { route: "/tasks/t1", path: "/tasks/:id" });
  return { user: userEvent.setup() };
};

describe("task page", () => {
  it("says why a task failed", async () => {
    setup({ status: "failed", failureReason: "budget reached" });
    expect((await screen.findByRole("note")).textContent).toBe("Failed: budget reached");
  });

  it("says who cancelled a task, as a cancel, not a failure", async () => {
    setup({ status: "cancelled", failureReason: "Cancelled by Olivia" });
    const note = await screen.findByRole("note");
    expect(note.textContent).toBe("Cancelled by Olivia");
    expect(note.className).not.toContain("form-error");
  });

  it("shows the agent's options the task was created with", async () => {
    setup();
    const options = (await screen.findByText("Claude Code")).closest("p") as HTMLElement;
    expect(options.textContent).toMatch(/model claude-sonnet-4-5/);
    expect(options.textContent).toMatch(/accept file edits/i);
    expect(options.textContent).toMatch(/at most 40 turns · budget \$2\.50/);
  });

  it("shows what the run reported: cost, tokens, turns, time, branch, commit, push error", async () => {
    setup();
    const facts = await screen.findByText("Cost");
    const list = facts.closest("dl") as HTMLElement;
    const pairs = [...list.querySelectorAll("div")].map((d) => d.textContent);
    expect(pairs).toEqual([
      "Cost$0.1234",
      "Tokens12,345 in · 2,345 out",
      "Turns7",
      "Agent time1m 23s",
      "Branchagentvine/t1",
      "Commit0123456789ab",
    ]);
    expect(screen.getByRole("note").textContent).toBe("Push failed: remote: Permission to acme/app denied");
  });

  it("shows the diff file by file, with counts and signed, numbered lines", async () => {
    setup();
    const changes = await screen.findByRole("region", { name: "Changes" });
    expect(within(changes).getByText(/2 files changed/).textContent).toMatch(/\+2 −1/);
    const files = within(changes).getAllByRole("listitem");
    expect(files.map((f) => f.querySelector("summary")?.textContent)).toEqual([
      "src/app.ts+1 −1",
      "README.md+1 −0",
    ]);
    const lines = [...(files[0] as HTMLElement).querySelectorAll(".diff-line")].map((l) => [
      l.className,
      l.textContent,
    ]);
    expect(lines).toEqual([
      ["diff-line diff-header", "@@ -1,2 +1,2 @@"],
      ["diff-line diff-remove", "1−const port = 80;"],
      ["diff-line diff-add", "1+const port = 8080;"],
      ["diff-line diff-context", "22 export { port };"],
    ]);
  });

  it("keeps the transcript folded until asked", async () => {
    const { user } = setup();
    const summary = await screen.findByText("Transcript (truncated)");
    const details = summary.closest("details") as HTMLDetailsElement;
    expect(details.open).toBe(false);
    await user.click(summary);
    expect(details.open).toBe(true);
    expect(details.querySelector("pre")?.textContent).toBe("assistant: reading src/app.ts\ntool: Edit");
  });
});
