import { addLogFields, log, withLogFields } from "@agentvine/core/log";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "./env.ts";

/**
 * One log line per request, carrying its request id and whatever ids core learnt while serving
 * it (task, work order, worker), so a task's requests can be found by its id.
 */
export const requestLog = createMiddleware<AppEnv>((c, next) =>
  withLogFields({ requestId: c.get("requestId") }, async () => {
    const started = performance.now();
    try {
      await next();
    } finally {
      const ms = Math.round((performance.now() - started) * 10) / 10;
      const line = { method: c.req.method, path: c.req.path, status: c.res.status, ms };
      if (c.res.status >= 500) log.error(line, "request failed");
      else log.info(line, "request");
    }
  }),
);

/** After authentication: a worker's requests carry its id. */
export const logActor = createMiddleware<AppEnv>(async (c, next) => {
  if (c.var.actor?.role === "worker") addLogFields({ workerId: c.var.actor.principalId });
  await next();
});
