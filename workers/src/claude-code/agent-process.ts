import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";

/** How long the agent gets to end on SIGTERM before its process group is killed. */
const TERM_GRACE_MS = 2_000;
/** The end of the agent's stderr kept to explain a crash. */
const STDERR_TAIL_CHARS = 4_000;

const signalGroup = (pid: number, signal: NodeJS.Signals) => {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: nobody is left in the group.
  }
};

/**
 * The Claude Code process of one run, started by us (the SDK's `spawnClaudeCodeProcess`) in a
 * process group of its own, so that stopping it also ends what it started (shells, test
 * runners, servers) and nothing outlives the run, whatever the SDK's own shutdown does.
 */
export class AgentProcess {
  #child: ChildProcess | null = null;
  #stderr = "";
  #stopping: Promise<void> | null = null;

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
    return child;
  };

  get stderr() {
    return this.#stderr;
  }

  /**
   * Ends the agent and its process group: SIGTERM, then SIGKILL for whatever is left after the
   * grace (also after a clean exit: what the agent left running in the background goes too).
   * Resolves once the agent's process has exited. Idempotent.
   */
  stop() {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async #stop() {
    const child = this.#child;
    if (!child?.pid) return;
    const exited =
      child.exitCode !== null || child.signalCode !== null
        ? Promise.resolve()
        : once(child, "exit").then(
            () => {},
            () => {},
          );
    signalGroup(child.pid, "SIGTERM");
    await Promise.race([exited, sleep(TERM_GRACE_MS)]);
    signalGroup(child.pid, "SIGKILL");
    await exited;
  }
}
