import { ExecutionInfo, ProgressInput } from "@agentvine/core/execution/schema";
import * as Execution from "@agentvine/core/execution/service";
import { createRoute } from "@hono/zod-openapi";
import { allow } from "./auth.ts";
import { errorResponses } from "./errors.ts";
import { IdParam, json, jsonBody, router, security } from "./router.ts";

const progress = createRoute({
  method: "post",
  path: "/executions/{id}/progress",
  tags: ["Tasks"],
  security,
  summary: "A worker reports progress on its running execution (keeps its session alive)",
  middleware: [allow("worker")] as const,
  request: { params: IdParam, ...jsonBody(ProgressInput) },
  responses: { 200: json(ExecutionInfo, "The execution"), ...errorResponses },
});

export const executions = router().openapi(progress, async (c) =>
  c.json(
    await Execution.report(c.var.ctx, c.var.actor.principalId, c.req.valid("param").id, c.req.valid("json")),
    200,
  ),
);
