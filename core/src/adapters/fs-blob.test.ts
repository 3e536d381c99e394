import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { blobContract } from "./blob-contract.ts";
import { fsBlob } from "./fs-blob.ts";

describe("fsBlob", () => {
  const dirs: string[] = [];
  const freshDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), "agentvine-fs-blob-"));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

  blobContract(async () => fsBlob(await freshDir()));

  it("keeps what it holds for the next process on the same folder, with no temporary file left", async () => {
    const dir = await freshDir();
    await fsBlob(dir).put("snapshots/t1/wo1", new Uint8Array([7, 8]));
    expect(await fsBlob(dir).get("snapshots/t1/wo1")).toEqual(new Uint8Array([7, 8]));
    expect(await readdir(join(dir, "snapshots", "t1"))).toEqual(["wo1"]);
  });

  it("refuses a key that would leave its folder", async () => {
    const blob = fsBlob(await freshDir());
    for (const key of ["../outside", "snapshots/../../outside", "/etc/passwd", ""])
      await expect(blob.put(key, new Uint8Array([1])), key).rejects.toThrow(/blob key/i);
  });
});
