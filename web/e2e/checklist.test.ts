/**
 * The phase-1 success checklist, in a real Chromium against `npm start`:
 * sign in from the printed link, create a task in the dialog, see it claimed, see the worker's
 * question arrive in the chat without reloading, answer it, see the worker get the answer,
 * see the task completed, see the session mapping, and see the idle session reaped.
 *
 * Three real worker processes run the task: the stub agent, scripted by the task's description,
 * asks the question, waits for the answer given in the browser, and completes with it.
 * Run: npm run test:e2e   (CHROMIUM=/path/to/chromium to use another browser binary)
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");
const SHOTS = resolve(import.meta.dirname, "screenshots");
const ADMIN_TOKEN = "avt_e2e_admin_token_0123456789";
// Long enough for the person to answer within it, short enough to watch the reap.
const IDLE_MS = 20_000;
const QUESTION = "Should sessions live in Redis or in DynamoDB?";
const ANSWER = "DynamoDB, with a TTL on the session items.";

const freePort = () =>
  new Promise<number>((ok, fail) => {
    const srv = createServer();
    srv.once("error", fail).listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => ok(port));
    });
  });

let server: ChildProcess | undefined;
let log = "";
let base = "";
let printedUrl = "";
let dataDir = "";
let browser: Browser | undefined;
let page: Page;

/** The REST API as a given principal (the admin, or the worker with its own token). */
const call = async <T = unknown>(token: string, method: string, path: string, body?: unknown): Promise<T> => {
  const res = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} -> ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
};

const shot = async (name: string) => {
  await page.waitForTimeout(250); // let transitions settle
  // Toasts come and go with timing; keep them out of the pictures.
  await page.screenshot({ path: join(SHOTS, `${name}.png`), style: ".toasts { display: none; }" });
};

const eventually = async <T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 15_000) => {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < until) {
    try {
      const value = await fn();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`Timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ""}`);
};

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  dataDir = mkdtempSync(join(tmpdir(), "agentvine-e2e-"));
  const port = await freePort();
  server = spawn("npm", ["start", "--", "--port", String(port), "--workers", "3", "--data-dir", dataDir], {
    cwd: ROOT,
    detached: true, // its own process group, so npm, tsx and node all stop together
    env: {
      ...process.env,
      AGENTVINE_ADMIN_TOKEN: ADMIN_TOKEN,
      // Keep-alive in seconds, so the idle reap happens within the test.
      AGENTVINE_SESSION_IDLE_MS: String(IDLE_MS),
      AGENTVINE_REAPER_INTERVAL_MS: "1000",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  server.stdout?.on("data", (d) => {
    log += d;
  });
  server.stderr?.on("data", (d) => {
    log += d;
  });
  await eventually(
    "npm start to print its URL",
    async () => {
      if (server?.exitCode !== null) throw new Error(`npm start exited (${server?.exitCode}):\n${log}`);
      const match = /Open:\s+(\S+)/.exec(log);
      if (match?.[1]) printedUrl = match[1];
      return Boolean(match);
    },
    180_000,
  );
  base = new URL(printedUrl).origin;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const context = await browser.newContext({ viewport: { width: 1360, height: 820 } });
  page = await context.newPage();
  page.on("pageerror", (err) => {
    log += `\n[browser] page error: ${err.message}`;
  });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  if (server?.pid && server.exitCode === null) {
    const exited = new Promise((ok) => server?.once("exit", ok));
    try {
      process.kill(-server.pid, "SIGTERM");
    } catch {
      // already gone
    }
    await Promise.race([exited, new Promise((ok) => setTimeout(ok, 10_000))]);
    if (server.exitCode === null) {
      try {
        process.kill(-server.pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
  }
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
    console.error(`--- npm start output ---\n${log.slice(-4000)}`);
  });

  const title = `Fix the login redirect ${Date.now().toString(36)}`;
  let taskId = "";
  let workerId = "";
  let sessionId = "";

  it("prints a URL that signs in directly, and removes the token from the address bar", async () => {
    expect(printedUrl).toContain(`#token=${ADMIN_TOKEN}`);

    // Without the token: the sign-in screen (and a clear refusal for a wrong token).
    await page.goto(`${base}/`);
    await page.getByLabel("API token").fill("not-a-real-token");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("That token was refused.").waitFor();
    await shot("01-sign-in");

    await page.goto(printedUrl);
    await page.getByRole("link", { name: "Dashboard", exact: true }).waitFor();
    await page.getByRole("status").filter({ hasText: "Live" }).waitFor();
    expect(page.url()).not.toContain("token");
    for (const name of ["Dashboard", "Tasks", "Chat"]) {
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
      ADMIN_TOKEN,
      "GET",
      `/tasks/${taskId}`,
    );
    expect(task).toMatchObject({ priority: "high", branchName: "fix/login-redirect" });
  });

  it("shows the task claimed and the session mapping on the dashboard, live", async () => {
    const session = await eventually("a worker's agent session for the task", async () => {
      const { items } = await call<{ items: { sessionId: string; taskId: string; workerId: string }[] }>(
        ADMIN_TOKEN,
        "GET",
        "/sessions?status=active",
      );
      return items.find((x) => x.taskId === taskId);
    });
    ({ sessionId, workerId } = session);
    const worker = await call<{ name: string }>(ADMIN_TOKEN, "GET", `/workers/${workerId}`);

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
  });

  it("shows the worker's question in the chat without reloading, and delivers the answer", async () => {
    await page.getByRole("link", { name: "Chat", exact: true }).click();
    await page
      .getByRole("navigation", { name: "Conversations" })
      .getByRole("link", { name: new RegExp(title) })
      .click();
    await page.getByText("No messages yet").waitFor();
    const messages = page.getByRole("list", { name: "Messages" });
    // Posted by the worker's agent, arriving over the WebSocket.
    await messages.getByText(QUESTION).waitFor();
    await page.waitForFunction(() => document.title.startsWith("(1)"));
    await page.getByRole("link", { name: "Chat", exact: true }).getByText("1").waitFor();
    expect((await call<{ status: string }>(ADMIN_TOKEN, "GET", `/workers/${workerId}`)).status).toBe(
      "waiting",
    );
    await shot("05-chat-question");

    const box = page.getByRole("textbox", { name: "Message" });
    await box.fill(ANSWER);
    await box.press("Enter");
    await messages.getByText(ANSWER).waitFor();
    await messages.getByText(/^Answered/).waitFor();
    await page.waitForFunction(() => !document.title.startsWith("("));

    // Delivered: the worker resumes and its agent finishes with the answer in its output.
    await eventually("the task to complete", async () => {
      const t = await call<{ status: string }>(ADMIN_TOKEN, "GET", `/tasks/${taskId}`);
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
      ADMIN_TOKEN,
      "GET",
      `/sessions/${sessionId}`,
    );
    expect(session.status).toBe("terminated");
    await shot("09-dashboard-reaped");
  });
});
