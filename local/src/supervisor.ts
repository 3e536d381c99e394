import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import { join } from "node:path";
import type { ScalerPort } from "@agentvine/core/ports/scaler";
import { guardChild } from "./child-guard.ts";

export interface SupervisorOptions {
  /** The worker process to run, e.g. ["node", ["--import", "tsx", "workers/src/main.ts"]]. */
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  log?: (message: string) => void;
  /** How long a stopping worker gets after SIGTERM to finish or release its work. */
  stopGraceMs?: number;
  /**
   * A worker process ended (crash, kill -9, or a stop): called with the runtime id it was given
   * (AGENTVINE_RUNTIME_ID, which it registers with), as ECS reports a stopped task.
   */
  onExit?: (runtimeId: string, how: string) => void;
  /**
   * Each worker process gets a folder of its own under this one (AGENTVINE_WORKER_DATA_DIR: its
   * git mirrors, task worktrees and agent homes), removed when the process ends, as a Fargate
   * task's disk goes with the task.
   */
  dataRoot?: string;
}

/** The exit code of a worker whose environment is invalid (workers/src/main.ts). */
export const CONFIG_EXIT_CODE = 2;

export interface Supervisor extends ScalerPort {
  stop(): Promise<void>;
  pids(): number[];
}

/**
 * The local stand-in for the ECS service: keeps `desired` worker processes running, replaces
 * one that dies (as ECS does), and on scale-in stops the newest with SIGTERM, like Fargate.
 */
export const createSupervisor = (options: SupervisorOptions): Supervisor => {
  const log = options.log ?? (() => {});
  const grace = options.stopGraceMs ?? 30_000;
  const running = new Set<ChildProcess>();
  let desired = 0;
  let stopping = false;
  // A worker that exits with CONFIG_EXIT_CODE cannot run as configured, and neither can its
  // replacement: none is started until the runtime restarts, or it would crash-loop.
  let misconfigured = false;

  const exited = (child: ChildProcess) =>
    new Promise<void>((resolve) =>
      child.exitCode !== null || child.signalCode !== null ? resolve() : child.once("exit", () => resolve()),
    );

  const startOne = () => {
    // Its own process group, as an ECS task is its own: only the supervisor stops it (SIGTERM,
    // then the grace period), not a Ctrl-C aimed at the runtime.
    const runtimeId = `local-${randomUUID()}`;
    const dataDir = options.dataRoot && join(options.dataRoot, runtimeId);
    const child = spawn(options.command, options.args, {
      env: {
        ...(options.env ?? process.env),
        AGENTVINE_RUNTIME_ID: runtimeId,
        ...(dataDir ? { AGENTVINE_WORKER_DATA_DIR: dataDir } : {}),
      },
      stdio: ["ignore", "inherit", "inherit"],
      detached: true,
    });
    guardChild(child); // and when the runtime dies without stopping it, the watchdog does
    running.add(child);
    child.once("exit", (code, signal) => {
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
      if (!stopping) options.onExit?.(runtimeId, signal ?? `exit code ${code}`);
      const wasRunning = running.delete(child);
      if (!wasRunning || stopping) return;
      if (code === CONFIG_EXIT_CODE) {
        if (!misconfigured)
          log(
            `worker process ${child.pid} exited: its configuration is invalid (its fatal line names the variable). ` +
              "No more workers start until the environment is fixed and the runtime restarted",
          );
        misconfigured = true;
        return;
      }
      log(`worker process ${child.pid} exited (${signal ?? code}); starting a replacement`);
      reconcile();
    });
  };

  const stopOne = async (child: ChildProcess) => {
    running.delete(child);
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), grace);
    await exited(child);
    clearTimeout(timer);
  };

  const reconcile = () => {
    while (!stopping && !misconfigured && running.size < desired) startOne();
    const extra = [...running].slice(desired);
    return Promise.all(extra.reverse().map(stopOne));
  };

  return {
    async get() {
      return { desired, running: running.size };
    },
    async setDesired(count) {
      desired = count;
      await reconcile();
    },
    pids: () => [...running].map((c) => c.pid ?? 0),
    async stop() {
      stopping = true;
      await Promise.all([...running].map(stopOne));
    },
  };
};
