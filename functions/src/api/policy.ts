import { PolicyInfo, PutPolicyInput } from "@agentvine/core/policy/schema";
import * as Policy from "@agentvine/core/policy/service";
import { json, jsonBody, router, routesOf } from "./router.ts";

const route = routesOf("Policy");

const get = route({
  method: "get",
  path: "/policy",
  summary: "The routing rules: the first that matches a request decides it (none: a person does)",
  roles: ["admin"],
  responses: { 200: json(PolicyInfo, "The policy") },
});

const put = route({
  method: "put",
  path: "/policy",
  summary:
    "Replace the routing rules over the version read (ifVersion; 0 before the first write): a stale version is a 409 policy.version_conflict",
  roles: ["admin"],
  request: jsonBody(PutPolicyInput),
  responses: { 200: json(PolicyInfo, "The policy as written") },
});

export const policy = router()
  .openapi(get, async (c) => c.json(await Policy.get(c.var.ctx), 200))
  .openapi(put, async (c) => c.json(await Policy.put(c.var.ctx, c.var.actor, c.req.valid("json")), 200));
