import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { freshBucket } from "../../../test/engines.ts";
import { blobFromEnv } from "./blob-from-env.ts";
import { s3Blob } from "./s3-blob.ts";

describe("blobFromEnv", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("uses the S3 bucket named by AGENTVINE_BLOB_BUCKET, at the endpoint of the AWS variables", async () => {
    const { s3, bucket, endpoint } = await freshBucket("blob-from-env");
    // The SDK's default credential chain reads the process's own environment.
    vi.stubEnv("AWS_ACCESS_KEY_ID", "local");
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", "local");
    const blob = blobFromEnv({
      AGENTVINE_BLOB_BUCKET: bucket,
      AGENTVINE_BLOB_DIR: "/nonexistent/ignored-when-a-bucket-is-set",
      AWS_ENDPOINT_URL_S3: endpoint,
      AWS_REGION: "us-east-1",
    });
    await blob.put("snapshots/t1/wo1", new Uint8Array([4, 2]));
    expect(await s3Blob(s3, bucket).get("snapshots/t1/wo1")).toEqual(new Uint8Array([4, 2]));
  });

  it("uses the folder named by AGENTVINE_BLOB_DIR when no bucket is set", async () => {
    const dir = await mkdtemp(join(tmpdir(), "agentvine-blob-env-"));
    try {
      await blobFromEnv({ AGENTVINE_BLOB_DIR: dir }).put("snapshots/t1/wo1", new Uint8Array([5]));
      expect(new Uint8Array(await readFile(join(dir, "snapshots", "t1", "wo1")))).toEqual(
        new Uint8Array([5]),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("names both variables when neither is set", () => {
    expect(() => blobFromEnv({ AGENTVINE_BLOB_BUCKET: "" })).toThrow(
      /AGENTVINE_BLOB_BUCKET.*AGENTVINE_BLOB_DIR/,
    );
  });
});
