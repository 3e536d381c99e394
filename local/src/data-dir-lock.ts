import { link, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { isAlive } from "./process-alive.ts";
import { StartupError } from "./startup-error.ts";

/** Another live runtime holds the data dir: the caller says so and exits non-zero. */
export class DataDirInUse extends StartupError {
  override name = "DataDirInUse";
}

export interface DataDirLock {
  file: string;
  release(): Promise<void>;
}

const ownerOf = async (file: string): Promise<number | undefined> => {
  try {
    const pid = Number.parseInt(await readFile(file, "utf8"), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
};

/**
 * One runtime per data dir: two DynamoDB Locals on the same files would both write them. The
 * lock file holds the owner's pid; a lock whose owner is dead (kill -9, a crash) is taken over.
 * The pid is written to a file of our own first and hard-linked into place, so a reader never
 * sees a lock without its owner.
 */
export const lockDataDir = async (dataDir: string): Promise<DataDirLock> => {
  const file = join(dataDir, "runtime.lock");
  const mine = `${file}.${process.pid}`;
  try {
    await mkdir(dataDir, { recursive: true });
    await writeFile(mine, `${process.pid}\n`);
  } catch (err) {
    const { code, message } = err as NodeJS.ErrnoException;
    throw new StartupError(
      `Cannot use the data dir ${dataDir}: ${code ?? message}. Start with --data-dir <a folder you can write to>.`,
    );
  }
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await link(mine, file);
        return {
          file,
          async release() {
            if ((await ownerOf(file)) === process.pid) await rm(file, { force: true });
          },
        };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      }
      const owner = await ownerOf(file);
      if (owner !== undefined && isAlive(owner)) {
        throw new DataDirInUse(
          `The data dir ${dataDir} is in use by another AgentVine runtime (pid ${owner}). ` +
            `Stop that one first, or start this one with --data-dir <another dir>. ` +
            `If no runtime is running, delete ${file}.`,
        );
      }
      await rm(file, { force: true }); // its owner is gone
    }
    throw new DataDirInUse(`Could not lock the data dir ${dataDir}: another runtime keeps taking it`);
  } finally {
    await rm(mine, { force: true });
  }
};
