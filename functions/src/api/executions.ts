import { ExecutionInfo, ProgressInput } from "@agentvine/core/execution/schema";
import * as Execution from "@agentvine/core/execution/service";
import { IdParam, json, jsonBody, router, routesOf } from "./router.ts";

const progress = routesOf("Tasks")({
  method: "post",
  path: "/executions/{id}/progress",
  summary: "A worker reports progress on its running execution (keeps its session alive)",
  roles: ["worker"],
  request: { params: IdParam, ...jsonBody(ProgressInput) },
  responses: { 200: json(ExecutionInfo, "The execution") },
});

export const executions = router().openapi(progress, async (c) =>
  c.json(
    await Execution.report(c.var.ctx, c.var.actor.principalId, c.req.valid("param").id, c.req.valid("json")),
    200,
  ),
);
