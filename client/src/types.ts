import type { components, paths } from "./schema.gen.ts";

export type { Page } from "@agentvine/core/page";
export type { components, paths } from "./schema.gen.ts";

/** The schemas the API names (core registers them with `.meta({ id })`). */
export type Schemas = components["schemas"];
export type TaskInfo = Schemas["TaskInfo"];
export type WorkerInfo = Schemas["WorkerInfo"];
export type WorkOrderInfo = Schemas["WorkOrderInfo"];
export type SessionInfo = Schemas["SessionInfo"];
export type ExecutionInfo = Schemas["ExecutionInfo"];
export type ExecutionReport = Schemas["ExecutionReport"];
export type ChatMessageInfo = Schemas["ChatMessageInfo"];
export type PendingQuestion = Schemas["PendingQuestion"];
export type ActivityInfo = Schemas["ActivityInfo"];
export type QueueStats = Schemas["QueueStats"];
export type ScaleInfo = Schemas["ScaleInfo"];
export type ErrorBody = Schemas["ErrorBody"];
export type PolicyInfo = Schemas["PolicyInfo"];
export type PolicyRule = Schemas["PolicyRule"];
export type AuditInfo = Schemas["AuditInfo"];

type Method = "get" | "put" | "post" | "delete" | "patch";

/** The JSON body a route takes: `RequestBody<"/api/v1/tasks", "post">`. */
export type RequestBody<P extends keyof paths, M extends Method> = paths[P][M] extends {
  requestBody?: { content: { "application/json": infer B } };
}
  ? B
  : never;

/** The query string a route takes: `Query<"/api/v1/tasks", "get">`. */
export type Query<P extends keyof paths, M extends Method> = paths[P][M] extends {
  parameters: { query?: infer Q };
}
  ? NonNullable<Q>
  : never;

/** The 200/201 JSON a route answers with. */
export type ResponseBody<P extends keyof paths, M extends Method> = paths[P][M] extends {
  responses: infer R;
}
  ? R extends { 200: { content: { "application/json": infer B } } }
    ? B
    : R extends { 201: { content: { "application/json": infer B } } }
      ? B
      : never
  : never;
