import { pageOf } from "@agentvine/core/page";
import {
  CreateSessionInput,
  ListSessionsQuery,
  SessionInfo,
  TerminateInput,
} from "@agentvine/core/session/schema";
import * as Session from "@agentvine/core/session/service";
import * as SessionState from "@agentvine/core/session/state";
import { z } from "@hono/zod-openapi";
import { assertSelf, READERS } from "./auth.ts";
import { json, jsonBody, optionalJsonBody, router, routesOf } from "./router.ts";

const IdParam = z.object({
  id: z.string().min(1).max(200).describe("The session's id or the agent's sessionId"),
});
const route = routesOf("Sessions");

const create = route({
  method: "post",
  path: "/sessions",
  summary: "Open an agent session (sessionId -> task) for a worker",
  roles: ["admin", "worker"],
  request: jsonBody(CreateSessionInput),
  responses: { 201: json(SessionInfo, "The session") },
});

const list = route({
  method: "get",
  path: "/sessions",
  summary: "List sessions, newest first",
  roles: READERS,
  request: { query: ListSessionsQuery },
  responses: { 200: json(pageOf(SessionInfo), "A page of sessions") },
});

const get = route({
  method: "get",
  path: "/sessions/{id}",
  summary: "Get a session",
  roles: READERS,
  request: { params: IdParam },
  responses: { 200: json(SessionInfo, "The session") },
});

const terminate = route({
  method: "delete",
  path: "/sessions/{id}",
  summary: "Terminate a session; a work order running in it fails with the reason",
  roles: ["admin", "operator", "worker"],
  request: { params: IdParam, ...optionalJsonBody(TerminateInput) },
  responses: { 200: json(SessionInfo, "The terminated session") },
});

const heartbeat = route({
  method: "post",
  path: "/sessions/{id}/heartbeat",
  summary: "Record activity: keeps the session alive",
  roles: ["admin", "operator", "worker"],
  request: { params: IdParam },
  responses: { 200: json(SessionInfo, "The session") },
});

export const sessions = router()
  .openapi(create, async (c) => {
    const input = c.req.valid("json");
    assertSelf(c.var.actor, input.workerId);
    return c.json(await Session.create(c.var.ctx, c.var.actor, input), 201);
  })
  .openapi(list, async (c) => c.json(await Session.list(c.var.ctx, c.req.valid("query")), 200))
  .openapi(get, async (c) => c.json(await Session.get(c.var.ctx, c.req.valid("param").id), 200))
  .openapi(terminate, async (c) => {
    const session = await SessionState.load(c.var.ctx, c.req.valid("param").id);
    assertSelf(c.var.actor, session.workerId);
    const reason = c.req.valid("json")?.reason ?? `Terminated by ${c.var.actor.name}`;
    return c.json(await Session.terminate(c.var.ctx, session.id, reason), 200);
  })
  .openapi(heartbeat, async (c) =>
    c.json(await Session.heartbeat(c.var.ctx, c.var.actor, c.req.valid("param").id), 200),
  );
