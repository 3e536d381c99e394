import { OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "./env.ts";
import { validationError } from "./errors.ts";

/** A resource router with the shared validation-error shape (OpenAPIHono does not inherit hooks). */
export const router = () =>
  new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) return c.json(validationError(result.error, result.target), 400);
    },
  });

export const json = <T>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

export const jsonBody = <T>(schema: T) => ({
  body: { required: true, content: { "application/json": { schema } } },
});

export const security = [{ bearer: [] }];

/** The `{id}` path parameter of a resource addressed by its UUID. */
export const IdParam = z.object({ id: z.string().min(1).max(64) });
