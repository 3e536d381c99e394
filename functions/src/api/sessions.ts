import { pageOf } from "@agentvine/core/page";
import {
  CreateSessionInput,
  ListSessionsQuery,
  SessionInfo,
  TerminateInput,
} from "@agentvine/core/session/schema";
import * as Session from "@agentvine/core/session/service";
import * as SessionState from "@agentvine/core/session/state";
import { createRoute, z } from "@hono/zod-openapi";
import { allow, assertSelf, READERS } from "./auth.ts";
import { errorResponses } from "./errors.ts";
import { json, jsonBody, router, security } from "./router.ts";

const IdParam = z.object({
  id: z.string().min(1).max(200).describe("The session's id or the agent's sessionId"),
});
const tags = ["Sessions"];

const create = createRoute({
  method: "post",
  path: "/sessions",
  tags,
  security,
  summary: "Open an agent session (sessionId -> task) for a worker",
  middleware: [allow("admin", "worker")] as const,
  request: jsonBody(CreateSessionInput),
  responses: { 201: json(SessionInfo, "The session"), ...errorResponses },
});

const list = createRoute({
  method: "get",
  path: "/sessions",
  tags,
  security,
  summary: "List sessions, newest first",
  middleware: [allow(...READERS)] as const,
  request: { query: ListSessionsQuery },
  responses: { 200: json(pageOf(SessionInfo), "A page of sessions"), ...errorResponses },
});

const get = createRoute({
  method: "get",
  path: "/sessions/{id}",
  tags,
  security,
  summary: "Get a session",
  middleware: [allow(...READERS)] as const,
  request: { params: IdParam },
  responses: { 200: json(SessionInfo, "The session"), ...errorResponses },
});

const terminate = createRoute({
  method: "delete",
  path: "/sessions/{id}",
  tags,
  security,
  summary: "Terminate a session; a work order running in it fails with the reason",
  middleware: [allow("admin", "operator", "worker")] as const,
  request: {
    params: IdParam,
    body: { required: false, content: { "application/json": { schema: TerminateInput } } },
  },
  responses: { 200: json(SessionInfo, "The terminated session"), ...errorResponses },
});

const heartbeat = createRoute({
  method: "post",
  path: "/sessions/{id}/heartbeat",
  tags,
  security,
  summary: "Record activity: keeps the session alive",
  middleware: [allow("admin", "operator", "worker")] as const,
  request: { params: IdParam },
  responses: { 200: json(SessionInfo, "The session"), ...errorResponses },
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
