import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { BlobPort } from "../ports/blob.ts";
import { fsBlob } from "./fs-blob.ts";

describe("fsBlob", () => {
  let dir: string;
  let blob: BlobPort;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "fs-blob-"));
    blob = fsBlob(dir);
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("keeps bytes by a key with slashes, replaces them, and deletes them", async () => {
    const key = "snapshots/task-1/wo-1";
    expect(await blob.get(key)).toBeNull();
    await blob.put(key, new Uint8Array([1, 2, 3]));
    await blob.put(key, new Uint8Array([4, 5]));
    expect(Array.from((await blob.get(key)) ?? [])).toEqual([4, 5]);
    // No temporary file is left beside it.
    expect(await readdir(join(dir, "snapshots", "task-1"))).toEqual(["wo-1"]);
    await blob.delete(key);
    expect(await blob.get(key)).toBeNull();
  });

  it("survives a new adapter on the same folder (a runtime restart)", async () => {
    await blob.put("a/b", new TextEncoder().encode("kept"));
    expect(new TextDecoder().decode((await fsBlob(dir).get("a/b")) ?? undefined)).toBe("kept");
  });

  it("takes deleting an absent key", async () => {
    await expect(blob.delete("snapshots/none")).resolves.toBeUndefined();
  });

  it("refuses keys that leave its folder", async () => {
    for (const key of ["../outside", "a/../../outside", "", "/etc/passwd/.."]) {
      await expect(blob.put(key, new Uint8Array([1]))).rejects.toThrow(/not a path inside/);
    }
  });
});
