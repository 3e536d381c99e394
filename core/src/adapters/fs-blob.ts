import { randomUUID } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve, sep } from "node:path";
import type { BlobPort } from "../ports/blob.ts";

const isAbsent = (err: unknown) => (err as NodeJS.ErrnoException).code === "ENOENT";

/**
 * A blob store in a folder (the local runtime's, under its data dir, so a restart loses
 * nothing). A key is a relative path inside the folder; one that would leave it is refused.
 * Writes go to a temporary file renamed into place: a reader never sees half a blob.
 */
export const fsBlob = (dir: string): BlobPort => {
  const root = resolve(dir);
  const pathOf = (key: string) => {
    const path = resolve(root, key);
    const inside = relative(root, path);
    if (!key || !inside || inside.startsWith(`..${sep}`) || inside === ".." || key.includes("\0")) {
      throw new Error(`Blob key ${JSON.stringify(key)} is not a path inside the store`);
    }
    return path;
  };
  return {
    async put(key, body) {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      const tmp = join(dirname(path), `.${randomUUID()}.tmp`);
      try {
        await writeFile(tmp, body);
        await rename(tmp, path);
      } catch (err) {
        await rm(tmp, { force: true });
        throw err;
      }
    },
    async get(key) {
      try {
        return new Uint8Array(await readFile(pathOf(key)));
      } catch (err) {
        if (isAbsent(err)) return null;
        throw err;
      }
    },
    async delete(key) {
      await rm(pathOf(key), { force: true });
    },
  };
};
