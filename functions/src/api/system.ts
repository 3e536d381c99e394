import { ActivityInfo } from "@agentvine/core/activity/schema";
import * as Activity from "@agentvine/core/activity/service";
import * as Auth from "@agentvine/core/auth/service";
import { VisibleError } from "@agentvine/core/errors";
import { PageQuery, pageOf } from "@agentvine/core/page";
import { ScaleInfo, ScaleInput } from "@agentvine/core/worker/schema";
import * as Worker from "@agentvine/core/worker/service";
import { createRoute, z } from "@hono/zod-openapi";
import { allow, OPERATORS, READERS } from "./auth.ts";
import { errorResponses } from "./errors.ts";
import { json, jsonBody, router, security } from "./router.ts";

const wsTicket = createRoute({
  method: "post",
  path: "/ws-ticket",
  tags: ["Realtime"],
  security,
  summary: "A one-use ticket (60 s) to open the WebSocket: connect to `url`",
  middleware: [allow(...READERS)] as const,
  responses: {
    201: json(z.object({ ticket: z.string(), url: z.string() }), "The ticket and the socket URL"),
    ...errorResponses,
  },
});

const getScale = createRoute({
  method: "get",
  path: "/workers-scale",
  tags: ["Workers"],
  security,
  summary: "Desired and running worker count",
  middleware: [allow(...READERS)] as const,
  responses: { 200: json(ScaleInfo, "Worker count"), ...errorResponses },
});

const setScale = createRoute({
  method: "put",
  path: "/workers-scale",
  tags: ["Workers"],
  security,
  summary: "Set the desired worker count (ECS desired count on AWS; local worker processes)",
  middleware: [allow(...OPERATORS)] as const,
  request: jsonBody(ScaleInput),
  responses: { 200: json(ScaleInfo, "Worker count"), ...errorResponses },
});

const activity = createRoute({
  method: "get",
  path: "/activity",
  tags: ["Activity"],
  security,
  summary: "The activity timeline, newest first",
  middleware: [allow(...READERS)] as const,
  request: { query: PageQuery },
  responses: { 200: json(pageOf(ActivityInfo), "A page of activity"), ...errorResponses },
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
