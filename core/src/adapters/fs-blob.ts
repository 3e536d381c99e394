import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, isAbsolute, relative, resolve, sep } from "node:path";
import type { BlobPort } from "../ports/blob.ts";

const ABSENT = new Set(["ENOENT", "EISDIR", "ENOTDIR"]);

/**
 * The blob port on a folder (the local runtime keeps it under its data dir, so a restart loses
 * nothing). A key's "/" become subfolders; a write lands under a temporary name and is renamed
 * into place, so a reader or a crash never sees half a blob.
 */
export const fsBlob = (dir: string): BlobPort => {
  const root = resolve(dir);
  const pathOf = (key: string) => {
    const path = resolve(root, key);
    const inside = relative(root, path);
    // A key is data, not a path: "..", an absolute key or an empty one would leave the folder.
    if (!inside || inside === ".." || inside.startsWith(`..${sep}`) || isAbsolute(inside))
      throw new Error(`Invalid blob key: ${JSON.stringify(key)}`);
    return path;
  };
  return {
    async put(key, body) {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      const tmp = `${path}.${randomBytes(6).toString("hex")}.tmp`;
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
        // A key that is only a prefix of others (a folder here) holds no blob, as in S3.
        if (ABSENT.has((err as NodeJS.ErrnoException).code ?? "")) return null;
        throw err;
      }
    },
    async delete(key) {
      await rm(pathOf(key), { force: true });
    },
  };
};
