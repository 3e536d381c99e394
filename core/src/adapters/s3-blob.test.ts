import { describe } from "vitest";
import { freshBucket } from "../../../test/engines.ts";
import { blobContract } from "./blob-contract.ts";
import { s3Blob } from "./s3-blob.ts";

describe("s3Blob on fauxqs' S3", () => {
  blobContract(async () => {
    const { s3, bucket } = await freshBucket("s3-blob");
    return s3Blob(s3, bucket);
  });
});
