import { AuditInfo, AuditQuery } from "@agentvine/core/audit/schema";
import * as Audit from "@agentvine/core/audit/service";
import { pageOf } from "@agentvine/core/page";
import { json, router, routesOf } from "./router.ts";

const route = routesOf("Audit");

const list = route({
  method: "get",
  path: "/audit",
  summary:
    "Who decided each request (a person, a rule or the controller) and how, newest first; filter by taskId and by type of decider",
  description:
    "With both taskId and type, the type is applied to each page of the task's decisions as it is read: a page may hold fewer items than the limit, even none, while nextCursor is set. Page on until nextCursor is null.",
  roles: ["admin", "operator", "viewer"],
  request: { query: AuditQuery },
  responses: { 200: json(pageOf(AuditInfo), "A page of decisions") },
});

export const audit = router().openapi(list, async (c) =>
  c.json(await Audit.list(c.var.ctx, c.req.valid("query")), 200),
);
