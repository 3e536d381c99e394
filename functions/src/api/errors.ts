import { ErrorBody, type ErrorKind, VisibleError } from "@agentvine/core/errors";
import { log } from "@agentvine/core/log";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ZodError } from "zod";

/** The one place error kinds become HTTP statuses. */
const STATUS: Record<ErrorKind, ContentfulStatusCode> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unavailable: 503,
};

const body = (code: string, message: string, details: Record<string, unknown> = {}): ErrorBody => ({
  error: { code, message, details },
});

/** Where the bad input was, in words a client understands (Hono names them json/param/...). */
const PLACE: Record<string, string> = {
  json: "request body",
  query: "query string",
  param: "path",
  header: "headers",
};

/** The field name for a problem with the whole input (no path): "body" rather than Hono's "json". */
const WHOLE: Record<string, string> = {
  json: "body",
  query: "query",
  param: "path",
  header: "headers",
};

/** A field's path as a client writes it: `rules[2].when.match`. */
const pathOf = (path: readonly PropertyKey[]) =>
  path.map((key, i) => (typeof key === "number" ? `[${key}]` : `${i ? "." : ""}${String(key)}`)).join("");

/**
 * Validation failures name every offending field: `{ fields: { title: "title is required" } }`.
 * An unknown key (strict schemas) names that key; a rule on the whole input names "body".
 */
export const validationError = (error: ZodError, target: string) => {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        const path = pathOf([...issue.path, key]);
        fields[path] ??= `${path} is not a known field`;
      }
      continue;
    }
    const path = pathOf(issue.path) || (WHOLE[target] ?? target);
    fields[path] ??= issue.message;
  }
  const summary = Object.entries(fields)
    .map(([field, message]) => `${field}: ${message}`)
    .join("; ");
  return body("validation_failed", `Invalid ${PLACE[target] ?? target}: ${summary}`, { fields });
};

const notJson = () =>
  body("validation_failed", "Invalid request body: not valid JSON", {
    fields: { body: "The request body is not valid JSON" },
  });

/**
 * A cursor that is not one a list returned: ElectroDB cannot decode it, or DynamoDB rejects it
 * as ExclusiveStartKey. Either way the client sent bad input, not a server fault.
 */
const isBadCursor = (err: Error) =>
  err.name === "ElectroError" && /Unable to parse cursor|provided starting key is invalid/i.test(err.message);

const HTTP_CODES: Record<number, string> = {
  413: "payload_too_large",
  415: "unsupported_media_type",
};

/** Lambda's limit on a synchronous request (6 MB); the local server enforces the same. */
export const MAX_BODY_BYTES = 6 * 1024 * 1024;

export const tooLarge = (c: Context) =>
  c.json(
    body("payload_too_large", `The request body is larger than ${MAX_BODY_BYTES} bytes`, {
      maxBytes: MAX_BODY_BYTES,
    }),
    413,
  );

export const onError = (err: Error, c: Context) => {
  if (err instanceof VisibleError) return c.json(body(err.code, err.message, err.details), STATUS[err.kind]);
  if (err.name === "ZodError") return c.json(validationError(err as ZodError, "input"), 400);
  // Hono's JSON validator reports an unparsable body as HTTPException(400, "Malformed JSON ...").
  if (err instanceof HTTPException && err.status === 400 && /json/i.test(err.message))
    return c.json(notJson(), 400);
  if (err instanceof SyntaxError) return c.json(notJson(), 400);
  if (isBadCursor(err)) {
    return c.json(
      body("validation_failed", "Invalid query string: cursor: not a cursor this list returned", {
        fields: { cursor: "Not a cursor this list returned; start again without it" },
      }),
      400,
    );
  }
  if (err instanceof HTTPException && err.status < 500) {
    // E.g. 415 from the media-type gate of a JSON route sent another content type.
    const code = HTTP_CODES[err.status] ?? `http_${err.status}`;
    return c.json(body(code, err.message || code), err.status as ContentfulStatusCode);
  }
  log.error({ err }, "unhandled error");
  return c.json(body("internal", "Internal error"), 500);
};

const described = (description: string) => ({
  description,
  content: { "application/json": { schema: ErrorBody } },
});

/** The error responses every authenticated route documents. */
export const errorResponses = {
  400: described("Invalid input; details.fields names each bad field"),
  401: described("Missing or invalid token"),
  403: described("The token's role may not do this"),
  404: described("Not found"),
  409: described("Conflicts with the current state"),
} as const;
