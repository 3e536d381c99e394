import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import { processTree } from "./process-tree.ts";

/** How long the agent gets to end by itself after its run. */
const EXIT_GRACE_MS = 3_000;
/** The end of the agent's stderr kept to explain a crash. */
const STDERR_TAIL_CHARS = 4_000;

const signalPid = (pid: number, signal: NodeJS.Signals) => {
  try {
    process.kill(pid, signal);
  } catch {
    // ESRCH: gone already.
  }
};
/** A negative pid: its whole process group. */
const signalGroup = (pgid: number, signal: NodeJS.Signals) => signalPid(-pgid, signal);

/**
 * The Claude Code process of one run, started by us (the SDK's `spawnClaudeCodeProcess`) in a
 * process group of its own, so that stopping it also ends what it started (shells, test
 * runners, servers) and nothing outlives the run, whatever the SDK's own shutdown does.
 */
export class AgentProcess {
  #child: ChildProcess | null = null;
  #stderr = "";
  #exited: Promise<void> = Promise.resolve();
  #killing: Promise<void> | null = null;

  /** For the SDK: the same spawn it makes, plus a group and a stderr tail. */
  readonly spawn = (options: { command: string; args: string[]; cwd?: string; env: NodeJS.ProcessEnv }) => {
    const child = spawn(options.command, options.args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ["pipe", "pipe", "pipe"],
      detached: true,
    });
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => {
      this.#stderr = (this.#stderr + chunk).slice(-STDERR_TAIL_CHARS);
    });
    this.#child = child;
    this.#exited = once(child, "exit").then(
      () => {},
      () => {},
    );
    return child;
  };

  get stderr() {
    return this.#stderr;
  }

  /**
   * Ends the agent and everything it started, at once: nothing it was about to do gets done (a
   * SIGTERM lets the CLI send one more model request first, measured). It is frozen first, so
   * it sends nothing more and its children stay its children while they are looked up.
   */
  kill() {
    const pid = this.#child?.pid;
    if (!pid) return Promise.resolve();
    signalGroup(pid, "SIGSTOP");
    this.#killing ??= this.#killTree(pid);
    return this.#killing;
  }

  async #killTree(pid: number) {
    try {
      const { pids, groups } = await processTree(pid);
      for (const group of groups) signalGroup(group, "SIGKILL");
      for (const child of pids) signalPid(child, "SIGKILL");
    } finally {
      signalGroup(pid, "SIGKILL");
      await this.#exited;
    }
  }

  /**
   * After the run: the CLI ends by itself once the SDK closes its input; if it has not within
   * the grace, it is killed with what it started. Then its group is swept, also after a clean
   * exit: what it left running in the background goes too.
   */
  async stop() {
    const pid = this.#child?.pid;
    if (!pid) return;
    const exited = await Promise.race([
      this.#exited.then(() => true),
      sleep(EXIT_GRACE_MS, false, { ref: false }),
    ]);
    if (!exited) await this.kill();
    signalGroup(pid, "SIGKILL");
  }
}
