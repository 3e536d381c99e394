import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

/**
 * `npm start` as a real process: what it starts must end with it, however it ends, and a second
 * one on the same data dir must refuse to start.
 */
const MAIN = resolve(import.meta.dirname, "main.ts");

/** The direct children of `pid`, with their command lines. */
const childrenOf = (pid: number) =>
  execFileSync("ps", ["-A", "-o", "pid=,ppid=,args="], { encoding: "utf8" })
    .split("\n")
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null && Number(m[2]) === pid)
    .map((m) => ({ pid: Number(m[1]), args: (m[3] ?? "").trim() }));

/**
 * True while `p` is still the process we saw: pids are reused quickly (pid_max can be 32768), so
 * a pid alone may name someone else's process by the time we look again.
 */
const stillRunning = (p: { pid: number; args: string }) => {
  try {
    return execFileSync("ps", ["-o", "args=", "-p", String(p.pid)], { encoding: "utf8" }).trim() === p.args;
  } catch {
    return false; // ps exits non-zero when there is no such process
  }
};

const runtime = (dataDir: string) => {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", MAIN, "--port", "0", "--workers", "1", "--data-dir", dataDir],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((ok) => child.once("exit", (code) => ok(code)));
  return { child, exited, output: () => output };
};

describe("the runtime process", () => {
  let dataDir = "";
  const started: ChildProcess[] = [];
  let leftovers: { pid: number; args: string }[] = [];

  afterAll(async () => {
    for (const child of started) child.kill("SIGKILL");
    for (const p of leftovers.filter(stillRunning)) process.kill(p.pid, "SIGKILL");
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("says what is wrong with its options in a line, with no stack, and exits 2", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", MAIN, "--port", "abc"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr?.on("data", (chunk) => {
      stderr += chunk;
    });
    const code = await new Promise<number | null>((ok) => child.once("exit", (c) => ok(c)));
    expect(code).toBe(2);
    const lines = stderr.trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^--port: .*\(given: "abc"\)$/);
    expect(lines[1]).toBe("See npm start -- --help");
  });

  it("refuses a second runtime on its data dir, and takes its engine and workers along when killed -9", async () => {
    dataDir = await mkdtemp(join(tmpdir(), "agentvine-process-"));
    const first = runtime(dataDir);
    started.push(first.child);
    await expect
      .poll(() => first.output(), { timeout: 150_000, interval: 200 })
      .toContain("AgentVine is running");
    const pid = first.child.pid ?? 0;
    const children = childrenOf(pid);
    leftovers = children;
    expect(children.some((c) => c.args.includes("DynamoDBLocal.jar") && c.args.includes(dataDir))).toBe(true);
    expect(children.some((c) => c.args.includes("workers/src/main.ts"))).toBe(true);

    const second = runtime(dataDir);
    started.push(second.child);
    expect(await second.exited).not.toBe(0);
    expect(second.output()).toContain(`${dataDir} is in use by another AgentVine runtime (pid ${pid})`);

    first.child.kill("SIGKILL");
    await first.exited;
    await expect.poll(() => leftovers.filter(stillRunning), { timeout: 30_000, interval: 200 }).toEqual([]);
  }, 240_000);
});
