import type { ErrorKind } from "@agentvine/core/errors";
import { VisibleError } from "@agentvine/core/errors";
import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
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

export const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()) }),
});

const body = (code: string, message: string, details: Record<string, unknown> = {}) => ({
  error: { code, message, details },
});

/** Where the bad input was, in words a client understands (Hono names them json/param/...). */
const PLACE: Record<string, string> = {
  json: "request body",
  query: "query string",
  param: "path",
  header: "headers",
};

/** Validation failures name every offending field: `{ fields: { title: "title is required" } }`. */
export const validationError = (error: ZodError, target: string) => {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const path = issue.path.join(".") || target;
    fields[path] ??= issue.message;
  }
  const summary = Object.entries(fields)
    .map(([field, message]) => `${field}: ${message}`)
    .join("; ");
  return body("validation_failed", `Invalid ${PLACE[target] ?? target}: ${summary}`, { fields });
};

export const onError = (err: Error, c: Context) => {
  if (err instanceof VisibleError) return c.json(body(err.code, err.message, err.details), STATUS[err.kind]);
  if (err.name === "ZodError") return c.json(validationError(err as ZodError, "input"), 400);
  if (err instanceof SyntaxError)
    return c.json(body("invalid_json", "The request body is not valid JSON"), 400);
  console.error(err);
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
