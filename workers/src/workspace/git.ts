import { spawn } from "node:child_process";
import { gitReason } from "./redact.ts";

export interface GitOptions {
  /** The folder git runs in (a mirror or a worktree). */
  cwd: string;
  /** The environment git runs with: from `gitEnv`, plus per-call additions (the commit's author). */
  env: NodeJS.ProcessEnv;
  /** Kills git (and what it started: ssh, remote helpers) when aborted. */
  signal?: AbortSignal;
  timeoutMs: number;
  /** Exit codes that are answers, not failures (`diff --quiet` exits 1 when there are changes). */
  okCodes?: number[];
  /** Keeps this much of stdout and stops git once it has written more (a bounded diff). */
  maxStdout?: number;
}

export interface GitResult {
  stdout: string;
  code: number;
  /** stdout went past maxStdout and git was stopped. */
  truncated: boolean;
}

/** git failed; `reason` is its own explanation, redacted, in one line. */
export class GitFailed extends Error {
  override name = "GitFailed";
  constructor(
    readonly reason: string,
    command: string,
  ) {
    super(`git ${command} failed: ${reason}`);
  }
}

const formatMs = (ms: number) => (ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`);

const STDERR_LIMIT = 64 * 1024;
const DEFAULT_MAX_STDOUT = 16 * 1024 * 1024;

/**
 * Runs git without a shell. Not execFile: its abort and timeout kill the direct child only, and
 * git leaves the network to children (ssh, git-remote-https, upload-pack) that would outlive it;
 * here git leads its own process group and the whole group is killed.
 */
export const runGit = (args: string[], options: GitOptions): Promise<GitResult> => {
  const { signal, timeoutMs, okCodes = [0], maxStdout = DEFAULT_MAX_STDOUT } = options;
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const child = spawn("git", args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    const stdout: Buffer[] = [];
    let stdoutBytes = 0;
    let stderr = "";
    let truncated = false;
    let stopped: unknown;

    const killGroup = () => {
      try {
        if (child.pid) process.kill(-child.pid, "SIGKILL");
      } catch {
        // The group has already exited.
      }
    };
    const stop = (why: unknown) => {
      stopped ??= why;
      killGroup();
    };
    const onAbort = () => stop(signal?.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
    const timer = setTimeout(
      () => stop(new GitFailed(`timed out after ${formatMs(timeoutMs)}`, args[0] ?? "")),
      timeoutMs,
    );

    child.stdout.on("data", (chunk: Buffer) => {
      if (truncated) return;
      stdout.push(chunk);
      stdoutBytes += chunk.length;
      if (stdoutBytes > maxStdout) {
        truncated = true;
        killGroup();
      }
    });
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => {
      if (stderr.length < STDERR_LIMIT) stderr += chunk;
    });
    child.on("error", (error) => stop(error));
    // Sweep what git started once git itself is gone: a leftover holding stdout or stderr open
    // would otherwise delay "close" until the timeout.
    child.on("exit", killGroup);
    child.on("close", (code) => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      if (stopped !== undefined) return reject(stopped);
      const out = Buffer.concat(stdout).subarray(0, maxStdout).toString("utf8");
      if (truncated) return resolve({ stdout: out, code: code ?? -1, truncated });
      if (code !== null && okCodes.includes(code)) return resolve({ stdout: out, code, truncated });
      reject(new GitFailed(gitReason(stderr) || `exit code ${code}`, args[0] ?? ""));
    });
  });
};

/** runGit bound to one environment and timeout; a call may add variables or override the rest. */
export type Git = (
  cwd: string,
  args: string[],
  options?: Partial<Omit<GitOptions, "cwd">>,
) => Promise<GitResult>;

export const createGit =
  (env: NodeJS.ProcessEnv, timeoutMs: number): Git =>
  (cwd, args, options = {}) =>
    runGit(args, { timeoutMs, ...options, cwd, env: { ...env, ...options.env } });
