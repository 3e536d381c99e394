/**
 * The phase-1 success checklist, in a real Chromium against `npm start`:
 * sign in from the printed link, create a task in the dialog, see it claimed, see the worker's
 * question arrive in the chat without reloading, answer it, see the worker get the answer,
 * see the task completed, see the session mapping, see the idle session reaped, cancel a running
 * task (its session ends, its worker is free), and allow a worker's approval request from the inbox with the keyboard
 * alone. On the tasks, dashboard,
 * chat, task and inbox pages axe-core finds no serious or critical violation (colour contrast
 * among them) in the light or the dark scheme.
 *
 * Three real worker processes run the task: the stub agent, scripted by the task's description,
 * asks the question, waits for the answer given in the browser, and completes with it.
 * Run: npm run test:e2e   (CHROMIUM=/path/to/chromium to use another browser binary)
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { askApproval, stopWorkers } from "./approval.ts";
import { axeViolations, describeViolations, isSerious } from "./axe.ts";
import { apiAs, eventually, launchBrowser, type Runtime, startRuntime } from "./runtime.ts";

const SHOTS = resolve(import.meta.dirname, "screenshots");
const ADMIN_TOKEN = "avt_e2e_admin_token_0123456789";
const ENROLMENT_TOKEN = "ave_e2e_enrolment_token_0123456789";
// Long enough for the person to answer within it, short enough to watch the reap.
const IDLE_MS = 20_000;
const QUESTION = "Should sessions live in Redis or in DynamoDB?";
const ANSWER = "DynamoDB, with a TTL on the session items.";

let runtime: Runtime | undefined;
let dataDir = "";
let browser: Browser | undefined;
let page: Page;
/** The task's conversation, opened in a second tab before the agent asks. */
let chat: Page;
let call: ReturnType<typeof apiAs>;

const shot = async (name: string) => {
  await page.waitForTimeout(250); // let transitions settle
  // Toasts come and go with timing; keep them out of the pictures.
  await page.screenshot({ path: join(SHOTS, `${name}.png`), style: ".toasts { display: none; }" });
};

/** No serious or critical axe violation on the page as shown, in either colour scheme. */
const expectAccessible = async (where: string) => {
  const serious = (await axeViolations(page)).filter(isSerious);
  expect(describeViolations(serious), `axe on the ${where}`).toBe("");
};

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  dataDir = mkdtempSync(join(tmpdir(), "agentvine-e2e-"));
  runtime = await startRuntime({
    workers: 3,
    dataDir,
    env: {
      AGENTVINE_ADMIN_TOKEN: ADMIN_TOKEN,
      AGENTVINE_WORKER_ENROLMENT_TOKEN: ENROLMENT_TOKEN,
      // Keep-alive in seconds, so the idle reap happens within the test.
      AGENTVINE_SESSION_IDLE_MS: String(IDLE_MS),
      AGENTVINE_REAPER_INTERVAL_MS: "1000",
    },
  });
  call = apiAs(runtime.base, ADMIN_TOKEN);
  ({ browser, page } = await launchBrowser());
  page.on("pageerror", (err) => runtime?.note(`[browser] page error: ${err.message}`));
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe("the success checklist in a browser", () => {
  // Each step builds on the last: after a failure, keep a screenshot and skip the rest.
  let failed = false;
  beforeEach((ctx) => {
    if (failed) ctx.skip();
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state !== "fail") return;
    failed = true;
    await page?.screenshot({ path: join(SHOTS, "failure.png") }).catch(() => {});
    console.error(`--- npm start output ---\n${runtime?.output().slice(-4000)}`);
  });

  const title = `Fix the login redirect ${Date.now().toString(36)}`;
  let taskId = "";
  let workerId = "";
  let sessionId = "";

  it("prints a URL that signs in directly, and removes the token from the address bar", async () => {
    const printedUrl = runtime?.printedUrl ?? "";
    expect(printedUrl).toContain(`#token=${ADMIN_TOKEN}`);

    // Without the token: the sign-in screen (and a clear refusal for a wrong token).
    await page.goto(`${runtime?.base}/`);
    await page.getByLabel("API token").fill("not-a-real-token");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("That token was refused.").waitFor();
    await shot("01-sign-in");

    await page.goto(printedUrl);
    await page.getByRole("link", { name: "Dashboard", exact: true }).waitFor();
    await page.getByRole("status").filter({ hasText: "Live" }).waitFor();
    expect(page.url()).not.toContain("token");
    for (const name of ["Dashboard", "Tasks", "Chat", "Inbox"]) {
      expect(await page.getByRole("link", { name, exact: true }).count()).toBe(1);
    }
  });

  it("creates a task in the dialog and shows it queued in the list", async () => {
    await page.getByRole("button", { name: "Create task", exact: true }).click();
    const dialog = page.getByRole("dialog", { name: "Create task" });
    await dialog.waitFor();
    // The API's own validation, before anything is sent.
    await dialog.getByRole("button", { name: "Create", exact: true }).click();
    await dialog.getByText("title is required").waitFor();
    await dialog.getByLabel("Title", { exact: true }).fill(title);
    await dialog
      .getByLabel("Description", { exact: false })
      // Time for the dashboard checks before it asks, so the question arrives while we watch.
      .fill(`Fix the redirect after login.\nwork: 8000\nask: ${QUESTION}\nwork: 300`);
    await dialog.getByLabel("Type", { exact: true }).selectOption("bugfix");
    await dialog.getByLabel("Priority", { exact: true }).selectOption("high");
    await dialog.getByLabel(/^Repository URL/).fill("https://github.com/acme/webapp.git");
    await dialog.getByLabel(/^Branch/).fill("fix/login-redirect");
    await shot("02-create-task-dialog");
    await dialog.getByRole("button", { name: "Create", exact: true }).click();
    await dialog.waitFor({ state: "hidden" });

    await page.getByRole("link", { name: "Tasks", exact: true }).click();
    const row = page.getByRole("row").filter({ hasText: title });
    await row.waitFor();
    // A real worker may claim it at once: queued or already in progress.
    await row.getByText(/queued|in progress/).waitFor();
    const href = await row.getByRole("link", { name: title }).getAttribute("href");
    taskId = href?.split("/").pop() ?? "";
    expect(taskId).not.toBe("");
    const task = await call<{ status: string; priority: string; branchName: string }>(
      "GET",
      `/tasks/${taskId}`,
    );
    expect(task).toMatchObject({ priority: "high", branchName: "fix/login-redirect" });
    await expectAccessible("tasks page");

    // The person also opens the task's conversation in a second tab now, long before the agent
    // asks (it works 8 s first): the question must arrive there over the WebSocket, however long
    // the dashboard checks below take.
    chat = await page.context().newPage();
    await chat.goto(runtime?.printedUrl ?? "");
    await chat.getByRole("link", { name: "Chat", exact: true }).click();
    await chat
      .getByRole("navigation", { name: "Conversations" })
      .getByRole("link", { name: new RegExp(title) })
      .click();
    await chat.getByText("No messages yet").waitFor();
  });

  it("shows the task claimed and the session mapping on the dashboard, live", async () => {
    const session = await eventually("a worker's agent session for the task", async () => {
      const { items } = await call<{ items: { sessionId: string; taskId: string; workerId: string }[] }>(
        "GET",
        "/sessions?status=active",
      );
      return items.find((x) => x.taskId === taskId);
    });
    ({ sessionId, workerId } = session);
    const worker = await call<{ name: string }>("GET", `/workers/${workerId}`);

    // The list updates by itself (WebSocket), no reload.
    await page.getByRole("row").filter({ hasText: title }).getByText("in progress").waitFor();
    await shot("03-tasks");

    await page.getByRole("link", { name: "Dashboard", exact: true }).click();
    const workerRow = page
      .getByRole("region", { name: "Workers" })
      .getByRole("row")
      .filter({ hasText: worker.name });
    await workerRow.getByText(/busy|waiting/).waitFor();
    await workerRow.getByRole("link", { name: title }).waitFor();
    const sessionRow = page
      .getByRole("region", { name: "Agent sessions" })
      .getByRole("row")
      .filter({ hasText: sessionId });
    await sessionRow.getByRole("link", { name: title }).waitFor();
    await sessionRow.getByRole("button", { name: "Keep alive" }).waitFor();
    await shot("04-dashboard-claimed");
    await expectAccessible("dashboard");
  });

  it("shows the worker's question in the chat without reloading, and delivers the answer", async () => {
    // The conversation's tab, open since before the agent asked; the rest goes on in it.
    await page.close();
    page = chat;
    await page.bringToFront();
    const messages = page.getByRole("list", { name: "Messages" });
    // Posted by the worker's agent, arriving over the WebSocket.
    await messages.getByText(QUESTION).waitFor();
    await page.waitForFunction(() => document.title.startsWith("(1)"));
    await page.getByRole("link", { name: "Inbox", exact: true }).getByText("1").waitFor();
    expect((await call<{ status: string }>("GET", `/workers/${workerId}`)).status).toBe("waiting");
    await shot("05-chat-question");
    await expectAccessible("chat page");

    const box = page.getByRole("textbox", { name: "Message" });
    await box.fill(ANSWER);
    await box.press("Enter");
    await messages.getByText(ANSWER).waitFor();
    await messages.getByText(/^Answered/).waitFor();
    await page.waitForFunction(() => !document.title.startsWith("("));

    // Delivered: the worker resumes and its agent finishes with the answer in its output.
    await eventually("the task to complete", async () => {
      const t = await call<{ status: string }>("GET", `/tasks/${taskId}`);
      return t.status === "completed";
    });
    await shot("06-chat-answered");
  });

  it("shows the task completed in the list and its execution on the task page", async () => {
    await page.getByRole("link", { name: "Tasks", exact: true }).click();
    const row = page.getByRole("row").filter({ hasText: title });
    await row.getByText("completed").waitFor();
    await page.getByRole("button", { name: "Completed", exact: true }).click();
    await page.getByRole("row").filter({ hasText: title }).waitFor();
    await shot("07-tasks-completed");

    await page.getByRole("link", { name: title }).click();
    await page.getByRole("heading", { name: title }).waitFor();
    await page.getByText(`Answer: ${ANSWER}`).waitFor();
    await page.getByText(sessionId).first().waitFor();
    await shot("08-task-page");
    await expectAccessible("task page");
  });

  it("shows the session mapping, and the idle session reaped by the keep-alive policy", async () => {
    // The work is done; the agent goes quiet, so its session idles out (IDLE_MS).
    await page.getByRole("link", { name: "Dashboard", exact: true }).click();
    await page.getByText(sessionId).first().waitFor();
    const terminated = page.locator(".terminated li").filter({ hasText: sessionId });
    await terminated.waitFor({ timeout: IDLE_MS + 15_000 });
    await terminated.getByText(/Idle for/).waitFor();
    await terminated.getByRole("link", { name: title }).waitFor();
    const session = await call<{ status: string; terminationReason: string }>(
      "GET",
      `/sessions/${sessionId}`,
    );
    expect(session.status).toBe("terminated");
    await shot("09-dashboard-reaped");
  });

  it("cancels a running task from the list: its session ends and its worker is free", async () => {
    const long = `Rewrite the billing module ${Date.now().toString(36)}`;
    const created = await call<{ id: string }>("POST", "/tasks", {
      title: long,
      description: "work: 120000",
    });
    await page.getByRole("link", { name: "Tasks", exact: true }).click();
    const row = page.getByRole("row").filter({ hasText: long });
    await row.getByText("in progress").waitFor();
    const holder = await eventually("the task's worker", async () => {
      const task = await call<{ workerId: string | null }>("GET", `/tasks/${created.id}`);
      return task.workerId;
    });
    // Its agent is running once its session is open: "in progress" shows at the claim, before.
    await eventually("the task's session", async () => {
      const { items } = await call<{ items: { taskId: string }[] }>("GET", "/sessions?status=active");
      return items.some((s) => s.taskId === created.id);
    });

    // It asks first (its agent's work would be lost), and the page is checked while it asks.
    await row.getByRole("button", { name: `Cancel ${long}` }).click();
    const ask = page.getByRole("dialog", { name: `Cancel "${long}"?` });
    await ask.getByText("Its agent is running").waitFor();
    await expectAccessible("cancel confirmation");
    await ask.getByRole("button", { name: "Cancel the task" }).click();
    await row.getByText("cancelled").waitFor();
    // The worker is free at once, and its session ended with the reason: that is how the
    // worker is told to stop the agent (workers/src/system.test.ts shows it taking new work).
    await eventually("the worker to be idle", async () => {
      const worker = await call<{ status: string }>("GET", `/workers/${holder}`);
      return worker.status === "idle";
    });
    // The session ends right after the task and the worker (both shown before it): waited for.
    const ended = await eventually("the task's session to end", async () => {
      const { items } = await call<{ items: { taskId: string; terminationReason: string }[] }>(
        "GET",
        "/sessions?status=terminated",
      );
      return items.find((s) => s.taskId === created.id);
    });
    expect(ended.terminationReason).toMatch(/^Cancelled by /);
    await shot("10-task-cancelled");
  });

  it("allows a worker's approval request from the inbox, with the keyboard alone", async () => {
    // The real workers would race this test's own worker for the task: they stop first.
    await stopWorkers(call);
    const asked = await askApproval(
      runtime?.base ?? "",
      { admin: ADMIN_TOKEN, enrolment: ENROLMENT_TOKEN },
      {
        title: `Deploy the fix ${Date.now().toString(36)}`,
        tool: "Bash",
        input: { command: "npm run deploy -- --env staging" },
        message: "Run: npm run deploy -- --env staging",
      },
    );
    await page.waitForFunction(() => document.title.startsWith("(1)"));
    const count = page.getByRole("link", { name: "Inbox", exact: true }).getByText("1");
    await count.waitFor();

    // "g then i" opens the inbox, where the oldest request is selected and focused.
    await page.keyboard.press("g");
    await page.keyboard.press("i");
    await page.getByRole("heading", { name: "Inbox" }).waitFor();
    const item = page.getByRole("listitem").filter({ hasText: "npm run deploy -- --env staging" });
    await item.getByText("waiting").waitFor();
    expect(await item.evaluate((li) => li === document.activeElement)).toBe(true);
    expect(await item.getAttribute("aria-current")).toBe("true");
    await shot("11-inbox");
    await expectAccessible("inbox");

    await page.keyboard.press("a");
    await page.getByText("Nothing is waiting for a person.").waitFor();
    await count.waitFor({ state: "detached" });
    await page.waitForFunction(() => !document.title.startsWith("("));
    // The decision reached the API as the worker reads it: the request answered, with allow.
    const answer = await eventually("the answer to reach the worker", async () => {
      const { items } = await asked.asWorker<{ items: Record<string, unknown>[] }>(
        "GET",
        `/chat/messages?conversationId=${asked.taskId}`,
      );
      const request = items.find((m) => m.id === asked.requestId);
      return request?.answeredAt ? items.find((m) => m.id === request.answerId) : undefined;
    });
    expect(answer).toMatchObject({
      messageType: "response",
      parentMessageId: asked.requestId,
      decision: "allow",
      senderType: "human",
    });
    const pending = await call<{ items: { requestId: string }[] }>("GET", "/chat/pending");
    expect(pending.items.map((q) => q.requestId)).not.toContain(asked.requestId);
    await shot("12-inbox-allowed");
  });
});
