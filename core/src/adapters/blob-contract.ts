/** The behaviour every blob adapter shares, run against each (imported by tests only). */
import { expect, it } from "vitest";
import type { BlobPort } from "../ports/blob.ts";

const bytes = (...values: number[]) => new Uint8Array(values);

export const blobContract = (make: () => Promise<BlobPort>) => {
  it("gives back the bytes put under a key with slashes, and null for a key never put", async () => {
    const blob = await make();
    // Every byte value, so no text decoding on the way can pass unnoticed.
    const body = Uint8Array.from({ length: 256 }, (_, i) => i);
    await blob.put("snapshots/t1/wo1", body);
    expect(await blob.get("snapshots/t1/wo1")).toEqual(body);
    expect(await blob.get("snapshots/t1/wo2")).toBeNull();
    expect(await blob.get("snapshots/t1")).toBeNull();
  });

  it("replaces a blob put again under the same key", async () => {
    const blob = await make();
    await blob.put("snapshots/t2/wo1", bytes(1, 2, 3));
    await blob.put("snapshots/t2/wo1", bytes(9));
    expect(await blob.get("snapshots/t2/wo1")).toEqual(bytes(9));
  });

  it("deletes one key only, and deleting an absent key succeeds", async () => {
    const blob = await make();
    await blob.put("snapshots/t3/wo1", bytes(1));
    await blob.put("snapshots/t3/wo2", bytes(2));
    await blob.delete("snapshots/t3/wo1");
    expect(await blob.get("snapshots/t3/wo1")).toBeNull();
    expect(await blob.get("snapshots/t3/wo2")).toEqual(bytes(2));
    await expect(blob.delete("snapshots/t3/wo1")).resolves.toBeUndefined();
    await expect(blob.delete("snapshots/never/put")).resolves.toBeUndefined();
  });

  it("keeps an empty blob apart from an absent one", async () => {
    const blob = await make();
    await blob.put("snapshots/t4/empty", bytes());
    expect(await blob.get("snapshots/t4/empty")).toEqual(bytes());
  });
};
