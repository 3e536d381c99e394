/** Why a running execution was stopped; decides what happens to its work order. */
export class Stop extends Error {
  constructor(
    readonly why: "shutdown" | "lease-lost" | "session-terminated",
    detail: string,
  ) {
    super(detail);
  }
}
