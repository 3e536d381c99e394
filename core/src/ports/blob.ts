/**
 * The blob store port: opaque bytes by key (a parked run's snapshot). S3 on AWS, a folder under
 * the data dir locally; keys may contain "/".
 */
export interface BlobPort {
  put(key: string, body: Uint8Array): Promise<void>;
  /** Null when the key holds nothing. */
  get(key: string): Promise<Uint8Array | null>;
  /** Deleting an absent key is fine: clean-ups may run twice. */
  delete(key: string): Promise<void>;
}
