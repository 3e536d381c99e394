import { PageQuery, pageOf } from "@agentvine/core/page";
import { WorkOrder } from "@agentvine/core/work-order/index";
import { HeartbeatInput, RegisterWorkerInput, WorkerInfo } from "@agentvine/core/worker/schema";
import * as Worker from "@agentvine/core/worker/service";
import { createRoute, z } from "@hono/zod-openapi";
import { allow, assertSelf, READERS } from "./auth.ts";
import { errorResponses } from "./errors.ts";
import { IdParam, json, jsonBody, router, security } from "./router.ts";

const tags = ["Workers"];

const register = createRoute({
  method: "post",
  path: "/workers",
  tags,
  security,
  summary: "Register a worker (enrolment or admin token); returns its own token, once",
  middleware: [allow("admin", "enrolment")] as const,
  request: jsonBody(RegisterWorkerInput),
  responses: {
    201: json(z.object({ worker: WorkerInfo, token: z.string() }), "The worker and its token"),
    ...errorResponses,
  },
});

const list = createRoute({
  method: "get",
  path: "/workers",
  tags,
  security,
  summary: "List workers, latest heartbeat first",
  middleware: [allow(...READERS)] as const,
  request: { query: PageQuery },
  responses: { 200: json(pageOf(WorkerInfo), "A page of workers"), ...errorResponses },
});

const get = createRoute({
  method: "get",
  path: "/workers/{id}",
  tags,
  security,
  summary: "Get a worker",
  middleware: [allow(...READERS)] as const,
  request: { params: IdParam },
  responses: { 200: json(WorkerInfo, "The worker"), ...errorResponses },
});

const remove = createRoute({
  method: "delete",
  path: "/workers/{id}",
  tags,
  security,
  summary: "Deregister a worker (admin, or the worker itself)",
  middleware: [allow("admin", "worker")] as const,
  request: { params: IdParam },
  responses: { 204: { description: "Deregistered; its token no longer works" }, ...errorResponses },
});

const heartbeat = createRoute({
  method: "post",
  path: "/workers/{id}/heartbeat",
  tags,
  security,
  summary: "A worker's heartbeat; also renews the lease of the work order it holds",
  middleware: [allow("worker")] as const,
  request: {
    params: IdParam,
    body: { required: false, content: { "application/json": { schema: HeartbeatInput } } },
  },
  responses: {
    200: json(
      z.object({
        worker: WorkerInfo,
        leaseLost: z.boolean().describe("true: its work order was taken over; stop working on it"),
      }),
      "The worker",
    ),
    ...errorResponses,
  },
});

export const workers = router()
  .openapi(register, async (c) => c.json(await Worker.register(c.var.ctx, c.req.valid("json")), 201))
  .openapi(list, async (c) => c.json(await Worker.list(c.var.ctx, c.req.valid("query")), 200))
  .openapi(get, async (c) => c.json(await Worker.get(c.var.ctx, c.req.valid("param").id), 200))
  .openapi(remove, async (c) => {
    const { id } = c.req.valid("param");
    assertSelf(c.var.actor, id);
    await Worker.deregister(c.var.ctx, id);
    return c.body(null, 204);
  })
  .openapi(heartbeat, async (c) => {
    const { id } = c.req.valid("param");
    assertSelf(c.var.actor, id);
    return c.json(await WorkOrder.heartbeat(c.var.ctx, id, c.req.valid("json")?.status), 200);
  });
