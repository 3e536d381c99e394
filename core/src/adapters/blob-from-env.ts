import { S3Client } from "@aws-sdk/client-s3";
import type { BlobPort } from "../ports/blob.ts";
import { fsBlob } from "./fs-blob.ts";
import { s3Blob } from "./s3-blob.ts";

/**
 * The blob store a process's environment names: AGENTVINE_BLOB_BUCKET (S3, on AWS) or
 * AGENTVINE_BLOB_DIR (a folder, in the local runtime). The S3 client takes its region and
 * endpoint from the usual AWS variables; an explicit endpoint is an emulator (fauxqs,
 * LocalStack), addressed path-style since its buckets have no DNS names.
 */
export const blobFromEnv = (env: Record<string, string | undefined>): BlobPort => {
  const bucket = env.AGENTVINE_BLOB_BUCKET;
  if (bucket) {
    const endpoint = env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL || undefined;
    const client = new S3Client({ region: env.AWS_REGION, endpoint, forcePathStyle: endpoint !== undefined });
    return s3Blob(client, bucket);
  }
  if (env.AGENTVINE_BLOB_DIR) return fsBlob(env.AGENTVINE_BLOB_DIR);
  throw new Error(
    "No blob store configured: set AGENTVINE_BLOB_BUCKET (S3) or AGENTVINE_BLOB_DIR (a folder)",
  );
};
