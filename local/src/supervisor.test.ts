import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { isAlive } from "./process-alive.ts";
import { CONFIG_EXIT_CODE, createSupervisor, type Supervisor } from "./supervisor.ts";

// A real child process that lives until signalled: the supervisor is process management.
const idleChild = ["-e", "setInterval(() => {}, 1000)"];
const until = async (check: () => boolean | Promise<boolean>, ms = 5000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("condition not reached");
    await new Promise((r) => setTimeout(r, 25));
  }
};

describe("supervisor", () => {
  let sup: Supervisor;
  afterEach(async () => sup?.stop());

  it("starts the desired count, replaces a dead worker, scales in with SIGTERM and stops all", async () => {
    sup = createSupervisor({ command: process.execPath, args: idleChild, stopGraceMs: 2000 });
    await sup.setDesired(3);
    expect(await sup.get()).toEqual({ desired: 3, running: 3 });
    const [first, ...rest] = sup.pids();
    process.kill(first ?? 0, "SIGKILL");
    await until(() => !sup.pids().includes(first ?? 0) && sup.pids().length === 3);
    expect(sup.pids()).toEqual(expect.arrayContaining(rest));

    await sup.setDesired(1);
    expect((await sup.get()).running).toBe(1);
    const survivors = sup.pids();
    await sup.stop();
    await until(() => survivors.every((pid) => !isAlive(pid)));
    expect(sup.pids()).toEqual([]);
  });

  it("gives each worker a data folder of its own and removes it when the process ends", async () => {
    const root = await mkdtemp(join(tmpdir(), "supervisor-"));
    // The child writes into the folder it was given, then lives until signalled.
    const writer = `require("fs").mkdirSync(process.env.AGENTVINE_WORKER_DATA_DIR + "/git", { recursive: true }); ${idleChild[1]}`;
    sup = createSupervisor({
      command: process.execPath,
      args: ["-e", writer],
      dataRoot: root,
      stopGraceMs: 2000,
    });
    await sup.setDesired(2);
    await until(async () => (await readdir(root)).length === 2);
    const [first] = sup.pids();
    process.kill(first ?? 0, "SIGKILL");
    await until(() => !sup.pids().includes(first ?? 0) && sup.pids().length === 2);
    // The replacement has a new folder; the dead one's is gone.
    await until(async () => (await readdir(root)).length === 2);
    await sup.stop();
    expect(await readdir(root)).toEqual([]);
    await rm(root, { recursive: true, force: true });
  });

  it("does not replace a worker that exits for its configuration: it would only crash-loop", async () => {
    const lines: string[] = [];
    sup = createSupervisor({
      command: process.execPath,
      args: ["-e", `process.exit(${CONFIG_EXIT_CODE})`],
      log: (line) => lines.push(line),
    });
    await sup.setDesired(2);
    await until(() => sup.pids().length === 0);
    await sup.setDesired(3);
    expect(await sup.get()).toEqual({ desired: 3, running: 0 });
    expect(lines.filter((l) => l.includes("configuration is invalid"))).toHaveLength(1);
    expect(lines.some((l) => l.includes("starting a replacement"))).toBe(false);
  });
});
