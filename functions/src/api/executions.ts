import { ExecutionInfo, ExecutionReport, ProgressInput } from "@agentvine/core/execution/schema";
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

const lateReport = routesOf("Tasks")({
  method: "post",
  path: "/executions/{id}/report",
  summary: "A worker reports what its run used after the run was ended from outside",
  description:
    "For a run that core ended without the worker's word: its session was terminated, another worker " +
    "took its work over, or it was released as its worker stopped. Its worker sends what the run did " +
    "and used once the agent has stopped. Taken once, for an ended execution that has no report yet; " +
    "a running execution's report comes with its end (complete, fail or park). Long text is cut as " +
    "on complete.",
  roles: ["worker"],
  request: { params: IdParam, ...jsonBody(ExecutionReport) },
  responses: { 200: json(ExecutionInfo, "The execution, with the report") },
});

export const executions = router()
  .openapi(progress, async (c) =>
    c.json(
      await Execution.reportProgress(
        c.var.ctx,
        c.var.actor.principalId,
        c.req.valid("param").id,
        c.req.valid("json"),
      ),
      200,
    ),
  )
  .openapi(lateReport, async (c) =>
    c.json(
      await Execution.addLateReport(
        c.var.ctx,
        c.var.actor.principalId,
        c.req.valid("param").id,
        c.req.valid("json"),
      ),
      200,
    ),
  );
