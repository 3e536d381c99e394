import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DataDirInUse, lockDataDir } from "./data-dir-lock.ts";
import { StartupError } from "./startup-error.ts";

describe("data dir lock", () => {
  const dirs: string[] = [];
  const dataDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), "agentvine-lock-"));
    dirs.push(dir);
    return dir;
  };
  afterEach(async () => {
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  it("refuses a data dir held by a live runtime, naming its pid, until released", async () => {
    const dir = await dataDir();
    const lock = await lockDataDir(dir);
    expect((await readFile(lock.file, "utf8")).trim()).toBe(String(process.pid));
    const second = lockDataDir(dir);
    await expect(second).rejects.toThrow(DataDirInUse);
    await expect(second).rejects.toThrow(`in use by another AgentVine runtime (pid ${process.pid})`);
    await lock.release();
    const again = await lockDataDir(dir);
    await again.release();
  });

  it("says which data dir it cannot use, and why", async () => {
    const file = join(await dataDir(), "a-file");
    await writeFile(file, "not a folder");
    const refused = lockDataDir(join(file, "data"));
    await expect(refused).rejects.toThrow(StartupError);
    await expect(refused).rejects.toThrow(`Cannot use the data dir ${join(file, "data")}: ENOTDIR`);
  });

  it("takes over a lock whose owner is dead", async () => {
    const dir = await dataDir();
    // Above every kernel's pid limit (Linux's largest is 2^22): no process can have it. A pid of
    // an ended process could already be someone else's.
    const dead = 2 ** 22 + 1;
    await writeFile(join(dir, "runtime.lock"), `${dead}\n`);
    const lock = await lockDataDir(dir);
    expect((await readFile(lock.file, "utf8")).trim()).toBe(String(process.pid));
    await lock.release();
  });
});
