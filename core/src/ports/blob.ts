export interface BlobPort {
  put(key: string, body: Uint8Array): Promise<void>;
  get(key: string): Promise<Uint8Array | null>; // null when absent
  delete(key: string): Promise<void>; // absent is fine
}
