/**
 * One place that decides what a failed call means for the worker, read from the error's shape
 * rather than its class, so it holds for the API client's errors (`{ status, code }`), fetch's
 * network errors and the AWS SDK's errors (`$metadata.httpStatusCode`, `$fault`, `name`):
 * - transient: the dependency is down, overloaded or unreachable for now; retry with backoff.
 * - refused: it answered and said no to this request (409, 404, 400...); the caller decides.
 * - fatal: the worker cannot go on as configured (401/403, an unknown error: a bug); stop.
 */
export type FailureKind = "transient" | "refused" | "fatal";

/** Raised to end the worker with a message that tells the operator what to fix. */
export class FatalError extends Error {
  override name = "FatalError";
}

/** Socket and DNS failures of node:net, undici (fetch) and the SDK's HTTP handler. */
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);

/** AWS error names for throttling and passing faults (as the SDK's own retry strategy lists them). */
const TRANSIENT_NAMES = new Set([
  "RequestThrottled",
  "RequestThrottledException",
  "KmsThrottled",
  "Throttling",
  "ThrottlingException",
  "ThrottledException",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "ServiceUnavailable",
  "InternalError",
  "InternalFailure",
  "TimeoutError",
  "RequestTimeout",
  "RequestTimeoutException",
]);

interface Shape {
  status?: unknown;
  statusCode?: unknown;
  code?: unknown;
  name?: unknown;
  message?: unknown;
  cause?: unknown;
  errors?: unknown;
  $fault?: unknown;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

const shape = (err: unknown): Shape => (err && typeof err === "object" ? (err as Shape) : {});

/** The HTTP status an error carries: the API client's `status`, or the SDK's response metadata. */
export const statusOf = (err: unknown): number | undefined => {
  const e = shape(err);
  const status = e.status ?? e.$metadata?.httpStatusCode ?? e.statusCode;
  return typeof status === "number" ? status : undefined;
};

/** The API's stable error code (`workOrder.claim_lost`, ...), when the error carries one. */
export const codeOf = (err: unknown): string | undefined => {
  const code = shape(err).code;
  return typeof code === "string" && !NETWORK_CODES.has(code) ? code : undefined;
};

/** The first socket error code in the error or its causes ("fetch failed" hides it in `cause`). */
const networkCode = (err: unknown, depth = 0): string | undefined => {
  const e = shape(err);
  if (depth > 5 || !("code" in e || "cause" in e || "errors" in e)) return undefined;
  if (typeof e.code === "string" && NETWORK_CODES.has(e.code)) return e.code;
  const inner = Array.isArray(e.errors) ? e.errors : [];
  for (const next of [e.cause, ...inner]) {
    const code = networkCode(next, depth + 1);
    if (code) return code;
  }
  return undefined;
};

const isNetwork = (err: unknown) =>
  networkCode(err) !== undefined || (err instanceof TypeError && err.message === "fetch failed");

export const classifyFailure = (err: unknown): FailureKind => {
  const e = shape(err);
  if (isNetwork(err)) return "transient";
  if (typeof e.name === "string" && TRANSIENT_NAMES.has(e.name)) return "transient";
  if (e.$retryable !== undefined) return "transient";
  const status = statusOf(err);
  if (status === undefined) return e.$fault === "server" ? "transient" : "fatal";
  // 0: a client that reports "no response" as a status (as the web client's ApiError does).
  if (status === 0 || status === 408 || status === 429 || status >= 500) return "transient";
  if (status === 401 || status === 403) return "fatal";
  return status >= 400 ? "refused" : "fatal";
};

/** The error's message with the status or socket code behind it, for one log line. */
export const describeFailure = (err: unknown): string => {
  const e = shape(err);
  const message = typeof e.message === "string" && e.message ? e.message : String(err);
  const detail = networkCode(err) ?? statusOf(err);
  return detail === undefined || message.includes(String(detail)) ? message : `${message} (${detail})`;
};

/** A refused registration: a bad enrolment token is fatal, and says what to check; anything else as it is. */
export const registrationFailure = (err: unknown) =>
  codeOf(err)?.startsWith("auth.")
    ? new FatalError(
        `the API refused to register this worker (${describeFailure(err)}): check AGENTVINE_WORKER_ENROLMENT_TOKEN`,
        { cause: err },
      )
    : err;
