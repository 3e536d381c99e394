import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { task } from "../test/fixtures.ts";
import { mockApi, renderApp } from "../test/render.tsx";
import { CreateTaskForm } from "./create-task-dialog.tsx";
import { EMPTY_TASK_FORM, validateTaskForm } from "./task-form.ts";

const setup = () => {
  let done = 0;
  const api = mockApi({
    "POST /tasks": (call) => ({ status: 201, body: task({ ...(call.body as object), id: "new-task" }) }),
  });
  renderApp(<CreateTaskForm onDone={() => done++} />);
  return { api, done: () => done, user: userEvent.setup() };
};

describe("create task form", () => {
  it("names every field as the issue asks", () => {
    setup();
    const labels = ["Title", "Description", "Type", "Priority", "Repository URL", "Branch"];
    const agent = ["Agent", "Model", "Permissions", "Max turns", "Budget (USD)"];
    for (const label of [...labels, ...agent]) {
      expect(screen.getByLabelText(new RegExp(`^${label.replace(/[()]/g, "\\$&")}`))).toBeTruthy();
    }
    expect(screen.getByRole("button", { name: "Create" })).toBeTruthy();
  });

  it("refuses an empty title with the API's own message and sends nothing", async () => {
    const { api, user } = setup();
    await user.click(screen.getByRole("button", { name: "Create" }));
    expect(await screen.findByText("title is required")).toBeTruthy();
    expect(screen.getByLabelText("Title").getAttribute("aria-invalid")).toBe("true");
    expect(document.activeElement).toBe(screen.getByLabelText("Title"));
    expect(api.calls).toHaveLength(0);
  });

  it("validates the repository URL and branch exactly as the API does", async () => {
    const { api, user } = setup();
    await user.type(screen.getByLabelText("Title"), "Fix login");
    await user.type(screen.getByLabelText(/^Repository URL/), "ftp://example.com/repo");
    await user.type(screen.getByLabelText(/^Branch/), "-bad..name");
    await user.click(screen.getByRole("button", { name: "Create" }));
    expect(await screen.findByText(/^repositoryUrl /)).toBeTruthy();
    expect(screen.getByText("branchName is not a valid git branch name")).toBeTruthy();
    expect(api.calls).toHaveLength(0);

    // Fixing a field clears its error as you type (after the first submit).
    await user.clear(screen.getByLabelText(/^Repository URL/));
    await user.type(screen.getByLabelText(/^Repository URL/), "https://github.com/acme/app.git");
    expect(screen.queryByText(/^repositoryUrl /)).toBeNull();
  });

  it("posts the task, leaving out empty optional fields, then closes", async () => {
    const { api, user, done } = setup();
    await user.type(screen.getByLabelText("Title"), "  Write the docs  ");
    await user.selectOptions(screen.getByLabelText("Type"), "docs");
    await user.selectOptions(screen.getByLabelText("Priority"), "high");
    await user.click(screen.getByRole("button", { name: "Create" }));
    await waitFor(() => expect(done()).toBe(1));
    expect(api.calls[0]?.method).toBe("POST");
    expect(api.calls[0]?.body).toEqual({
      title: "Write the docs",
      description: "",
      taskType: "docs",
      priority: "high",
      permissionMode: "ask",
    });
  });

  it("sends the agent's options as chosen, numbers as numbers", async () => {
    const { api, user, done } = setup();
    await user.type(screen.getByLabelText("Title"), "Refactor the parser");
    await user.selectOptions(screen.getByLabelText("Agent"), "claude-code");
    await user.type(screen.getByLabelText(/^Model/), " claude-sonnet-4-5 ");
    await user.selectOptions(screen.getByLabelText("Permissions"), "acceptEdits");
    await user.type(screen.getByLabelText(/^Max turns/), "40");
    await user.type(screen.getByLabelText(/^Budget \(USD\)/), "2.5");
    await user.click(screen.getByRole("button", { name: "Create" }));
    await waitFor(() => expect(done()).toBe(1));
    expect(api.calls[0]?.body).toMatchObject({
      title: "Refactor the parser",
      agent: "claude-code",
      model: "claude-sonnet-4-5",
      permissionMode: "acceptEdits",
      maxTurns: 40,
      maxBudgetUsd: 2.5,
    });
  });

  it("shows the API's field errors when it refuses the task", async () => {
    mockApi({
      "POST /tasks": () => ({
        status: 400,
        body: {
          error: {
            code: "validation_failed",
            message: "Invalid request body: title: taken",
            details: { fields: { title: "a task with this title is already queued" } },
          },
        },
      }),
    });
    let done = 0;
    renderApp(<CreateTaskForm onDone={() => done++} />);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText("Title"), "Duplicate");
    await user.click(screen.getByRole("button", { name: "Create" }));
    expect(await screen.findByText("a task with this title is already queued")).toBeTruthy();
    expect(done).toBe(0);
  });

  it("uses the core schema: what it accepts, the API accepts", () => {
    expect(validateTaskForm({ ...EMPTY_TASK_FORM, title: "x".repeat(201) }).ok).toBe(false);
    expect(
      validateTaskForm({ ...EMPTY_TASK_FORM, title: "ok", repositoryUrl: "ftp://github.com/a/b.git" }).ok,
    ).toBe(false);
    expect(
      validateTaskForm({
        ...EMPTY_TASK_FORM,
        title: "ok",
        repositoryUrl: "ssh://git@github.com/a/b.git",
        branchName: "feature/x-1",
      }),
    ).toMatchObject({
      ok: true,
      input: { repositoryUrl: "ssh://git@github.com/a/b.git", branchName: "feature/x-1" },
    });
  });
});
