import {
  DeleteObjectCommand,
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import type { BlobPort } from "../ports/blob.ts";

/**
 * The blob port on S3 (AWS; fauxqs' S3 in tests). The bucket encrypts at rest and expires
 * what it holds (infra/blobs.ts); S3 deletes of an absent key already succeed.
 */
export const s3Blob = (client: S3Client, bucket: string): BlobPort => ({
  async put(key, body) {
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  },
  async get(key) {
    try {
      const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return (await out.Body?.transformToByteArray()) ?? new Uint8Array();
    } catch (err) {
      if (err instanceof NoSuchKey) return null;
      throw err;
    }
  },
  async delete(key) {
    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
  },
});
