import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * The descendants of `root` and the process groups they lead, from `ps` (Linux and macOS): the
 * CLI starts each shell of its Bash tool in a group of its own, out of reach of its own group.
 */
export const processTree = async (root: number) => {
  const { stdout } = await run("ps", ["-A", "-o", "pid=,ppid=,pgid="]);
  const rows = stdout
    .trim()
    .split("\n")
    .map((line) => line.trim().split(/\s+/).map(Number) as [number, number, number]);
  const pids = new Set([root]);
  // Parents come before their children in ps's pid order only mostly: repeat until nothing new.
  for (let grown = true; grown; ) {
    grown = false;
    for (const [pid, ppid] of rows)
      if (pids.has(ppid) && !pids.has(pid)) {
        pids.add(pid);
        grown = true;
      }
  }
  pids.delete(root);
  const groups = rows.filter(([pid, , pgid]) => pids.has(pid) && pid === pgid).map(([pid]) => pid);
  return { pids: [...pids], groups };
};
