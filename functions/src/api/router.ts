import type { Actor } from "@agentvine/core/context";
import { createRoute, OpenAPIHono, type RouteConfig, z } from "@hono/zod-openapi";
import { allow } from "./auth.ts";
import type { AppEnv } from "./env.ts";
import { errorResponses, validationError } from "./errors.ts";

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

/** A JSON body the client may leave out. */
export const optionalJsonBody = <T>(schema: T) => ({
  body: { required: false, content: { "application/json": { schema } } },
});

export const security = [{ bearer: [] }];

/** What a route states of its own: the rest is the same for every route of the API. */
type OwnRoute = Omit<RouteConfig, "tags" | "security" | "middleware"> & { roles: readonly Actor["role"][] };

/**
 * The routes of one tag: each is bearer-authenticated, guarded to its `roles`, and answers the
 * shared error responses besides its own.
 */
export const routesOf =
  (tag: string) =>
  <const P extends string, const R extends OwnRoute & { path: P }>({ roles, responses, ...own }: R) =>
    createRoute({
      tags: [tag],
      security,
      ...own,
      middleware: [allow(...roles)] as const,
      responses: { ...responses, ...errorResponses } as R["responses"] & typeof errorResponses,
    });

/** The `{id}` path parameter of a resource addressed by its UUID. */
export const IdParam = z.object({ id: z.string().min(1).max(64) });
