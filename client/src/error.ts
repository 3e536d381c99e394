import { ErrorBody } from "@agentvine/core/errors";

/**
 * A failed API call, as the API described it (`{ error: { code, message, details } }`).
 * Decide on `code`, which is stable ("workOrder.claim_lost", "auth.invalid_token"); the HTTP
 * status is kept for reporting only. `status` 0 means no answer at all.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }

  /** A validation failure's bad fields (`details.fields`): field -> what is wrong with it. */
  get fields(): Record<string, string> {
    const fields = this.details.fields;
    if (!fields || typeof fields !== "object") return {};
    return Object.fromEntries(
      Object.entries(fields).filter((e): e is [string, string] => typeof e[1] === "string"),
    );
  }

  /** No answer at all: the API is down or the network is. */
  get unreachable() {
    return this.status === 0;
  }
}

/**
 * The one error reader: a non-2xx response and its body (JSON already parsed, or text) become
 * an ApiError. A body that is not the API's error shape (a proxy's 502 page) still gives one,
 * with the code `http_<status>`.
 */
export const readError = (response: Response, body: unknown): ApiError => {
  const parsed = ErrorBody.safeParse(body);
  if (parsed.success) {
    const { code, message, details } = parsed.data.error;
    return new ApiError(response.status, code, message, details);
  }
  return new ApiError(
    response.status,
    `http_${response.status}`,
    `${response.status} ${response.statusText || "error"}`,
  );
};

/** The request never got an answer (connection refused, DNS, offline). */
export const unreachable = (baseUrl: string, cause: unknown) =>
  new ApiError(
    0,
    "unreachable",
    `Cannot reach the API at ${baseUrl} (${(cause as Error)?.message ?? cause})`,
  );
