import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import type { Socket } from "node:net";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const WATCHDOG = resolve(import.meta.dirname, "child-guard-watchdog.ts");
/** tsx's loader by path: the watchdog must start whatever the current directory is. */
const TSX = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

let watchdog: ChildProcess | undefined;

const startWatchdog = () => {
  // Its own process group, so a Ctrl-C aimed at the runtime does not end it before the runtime
  // has stopped its children in order. It lives on a pipe whose end it only sees when this
  // process is gone, whatever ended it.
  const child = spawn(process.execPath, ["--import", TSX, WATCHDOG], {
    stdio: ["pipe", "ignore", "inherit"],
    detached: true,
  });
  child.stdin?.on("error", () => {}); // the watchdog died: there is nobody left to tell
  child.unref();
  (child.stdin as Socket | null)?.unref();
  return child;
};

/**
 * Makes sure `child` and its process group end when this process ends, also on kill -9 or a
 * crash, when no exit handler runs: a watchdog process stops every child still registered.
 */
export const guardChild = (child: ChildProcess) => {
  const pid = child.pid;
  if (pid === undefined) return; // it never started
  watchdog ??= startWatchdog();
  const tell = (line: string) => watchdog?.stdin?.writable && watchdog.stdin.write(`${line}\n`);
  tell(`+${pid}`);
  child.once("exit", () => tell(`-${pid}`));
};

/** The watchdog's pid, for tests that check it ends with its runtime. */
export const watchdogPid = () => watchdog?.pid;
