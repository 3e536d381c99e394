/**
 * The pieces of the browser test that are not the checklist: `npm start` in its own process
 * group, headless Chromium, the REST API as a principal, and polling.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { resolve } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";

const ROOT = resolve(import.meta.dirname, "../..");

const freePort = () =>
  new Promise<number>((ok, fail) => {
    const srv = createServer();
    srv.once("error", fail).listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => ok(port));
    });
  });

export const eventually = async <T>(
  what: string,
  fn: () => Promise<T | undefined | false>,
  timeoutMs = 15_000,
) => {
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

export interface Runtime {
  /** The URL `npm start` printed, with the admin token in its fragment. */
  printedUrl: string;
  base: string;
  /** Everything npm start wrote so far (stdout and stderr), plus browser page errors. */
  output: () => string;
  note: (line: string) => void;
  stop: () => Promise<void>;
}

/** `npm start` on a free port with `workers` real workers, resolved once it prints its URL. */
export const startRuntime = async (
  options: { workers: number; dataDir: string; env: Record<string, string> },
  startupMs = 180_000,
): Promise<Runtime> => {
  const port = await freePort();
  const args = ["start", "--", "--port", String(port), "--workers", String(options.workers)];
  const server: ChildProcess = spawn("npm", [...args, "--data-dir", options.dataDir], {
    cwd: ROOT,
    detached: true, // its own process group, so npm, tsx and node all stop together
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  server.stdout?.on("data", (d) => {
    log += d;
  });
  server.stderr?.on("data", (d) => {
    log += d;
  });
  const signal = (sig: NodeJS.Signals) => {
    try {
      if (server.pid) process.kill(-server.pid, sig);
    } catch {
      // already gone
    }
  };
  const stop = async () => {
    if (server.exitCode !== null || server.signalCode !== null) return;
    const exited = new Promise((ok) => server.once("exit", ok));
    signal("SIGTERM");
    await Promise.race([exited, new Promise((ok) => setTimeout(ok, 10_000))]);
    if (server.exitCode === null && server.signalCode === null) signal("SIGKILL");
  };
  let printedUrl = "";
  try {
    // Stops polling as soon as npm start exits, rather than waiting out startupMs.
    await eventually(
      "npm start to print its URL",
      async () => {
        printedUrl = /Open:\s+(\S+)/.exec(log)?.[1] ?? "";
        return Boolean(printedUrl) || server.exitCode !== null;
      },
      startupMs,
    );
    if (!printedUrl)
      throw new Error(`npm start exited (${server.exitCode}) before printing its URL:\n${log}`);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    printedUrl,
    base: new URL(printedUrl).origin,
    output: () => log,
    note: (line) => {
      log += `\n${line}`;
    },
    stop,
  };
};

export const launchBrowser = async (): Promise<{ browser: Browser; page: Page }> => {
  const browser = await chromium.launch({
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
  return { browser, page: await context.newPage() };
};

/** The REST API of `base` as a given principal (the admin, or a worker with its own token). */
export const apiAs =
  (base: string, token: string) =>
  async <T = unknown>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${base}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} -> ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
