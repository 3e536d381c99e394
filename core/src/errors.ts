import { z } from "zod";

/**
 * The one error type a user may see. `kind` decides the HTTP status (mapped once, in
 * functions/src/api/errors.ts); `code` is stable for clients, e.g. "task.not_found".
 */
export type ErrorKind = "invalid" | "unauthorized" | "forbidden" | "not_found" | "conflict" | "unavailable";

export class VisibleError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "VisibleError";
  }
}

export const notFound = (entity: string, id: string) =>
  new VisibleError("not_found", `${entity}.not_found`, `No ${entity} with id ${id}`, { id });

/** Bad input found past schema validation, in the same shape: the field and what is wrong with it. */
export const invalidField = (field: string, message: string) =>
  new VisibleError("invalid", "validation_failed", `Invalid request body: ${field}: ${message}`, {
    fields: { [field]: message },
  });

/**
 * The body of every error response. Clients decide on `code` (stable), never on the HTTP
 * status; a validation failure names each bad field in `details.fields`.
 */
export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.record(z.string(), z.unknown()),
    }),
  })
  .meta({ id: "ErrorBody" });
export type ErrorBody = z.infer<typeof ErrorBody>;
