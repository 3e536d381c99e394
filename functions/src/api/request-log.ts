import { addLogFields, log, withLogFields } from "@agentvine/core/log";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "./env.ts";

/** A worker's heartbeat: every worker sends one every few seconds, so it is routine while it works. */
const HEARTBEAT = /^\/api\/v1\/workers\/[^/]+\/heartbeat$/;

/**
 * How loud a request's line is: a failure of the API's own at error; the beats that only say
 * "still here" (a worker's heartbeat, the health check) at debug while they succeed, or at info
 * a fleet's heartbeats would be most of the log (and of `npm start`'s terminal); the rest at info.
 */
export const levelOf = (method: string, path: string, status: number) => {
  if (status >= 500) return "error";
  const beat = path === "/healthz" || (method === "POST" && HEARTBEAT.test(path));
  return beat && status < 400 ? "debug" : "info";
};

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
      const level = levelOf(c.req.method, c.req.path, c.res.status);
      log[level](line, level === "error" ? "request failed" : "request");
    }
  }),
);

/** After authentication: a worker's requests carry its id. */
export const logActor = createMiddleware<AppEnv>(async (c, next) => {
  if (c.var.actor?.role === "worker") addLogFields({ workerId: c.var.actor.principalId });
  await next();
});
