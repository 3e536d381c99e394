import * as Auth from "@agentvine/core/auth/service";
import type { Actor } from "@agentvine/core/context";
import { VisibleError } from "@agentvine/core/errors";
import { hashSecret } from "@agentvine/core/ids";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "./env.ts";

/** Resolves the bearer token to an actor; the worker enrolment token may only register workers. */
export const authenticate = (enrolmentTokenHash?: string) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const match = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "");
    if (!match?.[1]) {
      throw new VisibleError(
        "unauthorized",
        "auth.missing_token",
        "Send an API token: Authorization: Bearer <token>",
      );
    }
    const secret = match[1];
    const actor: Actor | null =
      enrolmentTokenHash && hashSecret(secret) === enrolmentTokenHash
        ? { role: "enrolment", principalId: "enrolment", name: "worker enrolment" }
        : await Auth.authenticate(c.var.ctx, secret);
    if (!actor)
      throw new VisibleError("unauthorized", "auth.invalid_token", "The API token is unknown or revoked");
    c.set("actor", actor);
    await next();
  });

type Role = Actor["role"];

export const READERS: Role[] = ["admin", "operator", "viewer", "worker"];
export const OPERATORS: Role[] = ["admin", "operator"];

/** Route guard: the actor's role must be one of these. */
export const allow = (...roles: Role[]) =>
  createMiddleware<AppEnv>(async (c, next) => {
    if (!roles.includes(c.var.actor.role)) {
      throw new VisibleError(
        "forbidden",
        "auth.forbidden",
        `Role ${c.var.actor.role} may not do this (needs ${roles.join(" or ")})`,
      );
    }
    await next();
  });

/** A worker may only act as itself: the workerId it names must be its own. */
export const assertSelf = (actor: Actor, workerId: string) => {
  if (actor.role === "worker" && actor.principalId !== workerId) {
    throw new VisibleError(
      "forbidden",
      "auth.not_self",
      `A worker may only act as itself (token is for ${actor.principalId})`,
    );
  }
};
