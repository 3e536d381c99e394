import { ActivityInfo } from "@agentvine/core/activity/schema";
import * as Activity from "@agentvine/core/activity/service";
import * as Auth from "@agentvine/core/auth/service";
import { VisibleError } from "@agentvine/core/errors";
import { PageQuery, pageOf } from "@agentvine/core/page";
import { ScaleInfo, ScaleInput } from "@agentvine/core/worker/schema";
import * as Worker from "@agentvine/core/worker/service";
import { z } from "@hono/zod-openapi";
import { OPERATORS, READERS } from "./auth.ts";
import { json, jsonBody, router, routesOf } from "./router.ts";

const workersRoute = routesOf("Workers");

const wsTicket = routesOf("Realtime")({
  method: "post",
  path: "/ws-ticket",
  summary: "A one-use ticket (60 s) to open the WebSocket: connect to `url`",
  roles: READERS,
  responses: {
    201: json(z.object({ ticket: z.string(), url: z.string() }), "The ticket and the socket URL"),
  },
});

const getScale = workersRoute({
  method: "get",
  path: "/workers-scale",
  summary: "Desired and running worker count",
  roles: READERS,
  responses: { 200: json(ScaleInfo, "Worker count") },
});

const setScale = workersRoute({
  method: "put",
  path: "/workers-scale",
  summary: "Set the desired worker count (ECS desired count on AWS; local worker processes)",
  roles: OPERATORS,
  request: jsonBody(ScaleInput),
  responses: { 200: json(ScaleInfo, "Worker count") },
});

const activity = routesOf("Activity")({
  method: "get",
  path: "/activity",
  summary: "The activity timeline, newest first",
  roles: READERS,
  request: { query: PageQuery },
  responses: { 200: json(pageOf(ActivityInfo), "A page of activity") },
});

/** Routes that are not one resource: the WebSocket ticket, scaling, the timeline. */
export const system = (wsUrl: (requestUrl: string) => string) =>
  router()
    .openapi(wsTicket, async (c) => {
      const actor = c.var.actor;
      if (actor.role === "enrolment")
        throw new VisibleError("forbidden", "auth.forbidden", "Enrolment tokens cannot open the socket");
      const ticket = await Auth.issueTicket(c.var.ctx, { ...actor, role: actor.role });
      const url = new URL(wsUrl(c.req.url));
      url.searchParams.set("ticket", ticket);
      return c.json({ ticket, url: url.toString() }, 201);
    })
    .openapi(getScale, async (c) => c.json(await c.var.ctx.scaler.get(), 200))
    .openapi(setScale, async (c) =>
      c.json(await Worker.scale(c.var.ctx, c.req.valid("json").desired, c.var.actor.name), 200),
    )
    .openapi(activity, async (c) => c.json(await Activity.timeline(c.var.ctx, c.req.valid("query")), 200));
