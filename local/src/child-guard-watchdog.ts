/**
 * The watchdog started by child-guard.ts. Its stdin is a pipe from the runtime that closes only
 * when the runtime has ended; the runtime writes "+<pid>" for each child it starts and "-<pid>"
 * when one exits. At the end of the pipe every registered process group still running gets
 * SIGTERM, then SIGKILL after a grace period.
 */
const GRACE_MS = 5_000;
const groups = new Set<number>();

const signal = (pid: number, sig: NodeJS.Signals | 0) => {
  try {
    process.kill(-pid, sig); // the whole group: children started their own (detached)
    return true;
  } catch {
    try {
      process.kill(pid, sig);
      return true;
    } catch {
      return false;
    }
  }
};

const stopAll = async () => {
  for (const pid of groups) signal(pid, "SIGTERM");
  const deadline = Date.now() + GRACE_MS;
  while (Date.now() < deadline && [...groups].some((pid) => signal(pid, 0))) {
    await new Promise((r) => setTimeout(r, 100));
  }
  for (const pid of groups) signal(pid, "SIGKILL");
  process.exit(0);
};

// A Ctrl-C or a closed terminal is for the runtime, which then stops its children in order.
for (const sig of ["SIGINT", "SIGHUP"] as const) process.on(sig, () => {});

let pending = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk: string) => {
  const lines = (pending + chunk).split("\n");
  pending = lines.pop() ?? "";
  for (const line of lines) {
    const pid = Number(line.slice(1));
    if (!Number.isInteger(pid) || pid <= 0) continue;
    if (line.startsWith("+")) groups.add(pid);
    else if (line.startsWith("-")) groups.delete(pid);
  }
});
process.stdin.on("end", () => void stopAll());
process.stdin.on("error", () => void stopAll());
