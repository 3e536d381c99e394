import { readdirSync, readFileSync, readlinkSync, realpathSync } from "node:fs";

/**
 * The processes whose working directory is `dir` (or under it), as "pid command line": what an
 * agent started there and left running. Read from /proc (Linux), so it finds grandchildren
 * that were re-parented too.
 */
export const processesIn = (dir: string): string[] => {
  const root = realpathSync(dir);
  return readdirSync("/proc").flatMap((pid) => {
    if (!/^\d+$/.test(pid)) return [];
    try {
      const cwd = readlinkSync(`/proc/${pid}/cwd`);
      if (cwd !== root && !cwd.startsWith(`${root}/`)) return [];
      return [`${pid} ${readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").trim()}`];
    } catch {
      return []; // gone meanwhile, or not ours to read
    }
  });
};
