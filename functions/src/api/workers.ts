import { PageQuery, pageOf } from "@agentvine/core/page";
import { WorkOrder } from "@agentvine/core/work-order/index";
import { HeartbeatInput, RegisterWorkerInput, WorkerInfo } from "@agentvine/core/worker/schema";
import * as Worker from "@agentvine/core/worker/service";
import { z } from "@hono/zod-openapi";
import { assertSelf, READERS } from "./auth.ts";
import { IdParam, json, jsonBody, optionalJsonBody, router, routesOf } from "./router.ts";

const route = routesOf("Workers");

const register = route({
  method: "post",
  path: "/workers",
  summary: "Register a worker (enrolment or admin token); returns its own token, once",
  roles: ["admin", "enrolment"],
  request: jsonBody(RegisterWorkerInput),
  responses: {
    201: json(z.object({ worker: WorkerInfo, token: z.string() }), "The worker and its token"),
  },
});

const list = route({
  method: "get",
  path: "/workers",
  summary: "List workers, latest heartbeat first",
  roles: READERS,
  request: { query: PageQuery },
  responses: { 200: json(pageOf(WorkerInfo), "A page of workers") },
});

const get = route({
  method: "get",
  path: "/workers/{id}",
  summary: "Get a worker",
  roles: READERS,
  request: { params: IdParam },
  responses: { 200: json(WorkerInfo, "The worker") },
});

const remove = route({
  method: "delete",
  path: "/workers/{id}",
  summary: "Deregister a worker (admin, or the worker itself)",
  roles: ["admin", "worker"],
  request: { params: IdParam },
  responses: { 204: { description: "Deregistered; its token no longer works" } },
});

const heartbeat = route({
  method: "post",
  path: "/workers/{id}/heartbeat",
  summary: "A worker's heartbeat; also renews the lease of the work order it holds",
  roles: ["worker"],
  request: { params: IdParam, ...optionalJsonBody(HeartbeatInput) },
  responses: {
    200: json(
      z.object({
        worker: WorkerInfo,
        leaseLost: z.boolean().describe("true: its work order was taken over; stop working on it"),
      }),
      "The worker",
    ),
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
