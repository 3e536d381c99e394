import { ActivityInfo } from "@agentvine/core/activity/schema";
import * as Activity from "@agentvine/core/activity/service";
import { ExecutionInfo, ListExecutionsQuery } from "@agentvine/core/execution/schema";
import * as Execution from "@agentvine/core/execution/service";
import { PageQuery, pageOf } from "@agentvine/core/page";
import { CreateTaskInput, ListTasksQuery, TaskInfo, UpdateTaskInput } from "@agentvine/core/task/schema";
import * as Task from "@agentvine/core/task/service";
import { createRoute } from "@hono/zod-openapi";
import { allow, OPERATORS, READERS } from "./auth.ts";
import { errorResponses } from "./errors.ts";
import { IdParam, json, jsonBody, router, security } from "./router.ts";

const tags = ["Tasks"];

const createTask = createRoute({
  method: "post",
  path: "/tasks",
  tags,
  security,
  summary: "Create a task and enqueue it",
  middleware: [allow(...OPERATORS)] as const,
  request: jsonBody(CreateTaskInput),
  responses: { 201: json(TaskInfo, "The task, queued"), ...errorResponses },
});

const listTasks = createRoute({
  method: "get",
  path: "/tasks",
  tags,
  security,
  summary: "List tasks, newest first",
  middleware: [allow(...READERS)] as const,
  request: { query: ListTasksQuery },
  responses: { 200: json(pageOf(TaskInfo), "A page of tasks"), ...errorResponses },
});

const getTask = createRoute({
  method: "get",
  path: "/tasks/{id}",
  tags,
  security,
  summary: "Get a task",
  middleware: [allow(...READERS)] as const,
  request: { params: IdParam },
  responses: { 200: json(TaskInfo, "The task"), ...errorResponses },
});

const updateTask = createRoute({
  method: "patch",
  path: "/tasks/{id}",
  tags,
  security,
  summary: "Edit a task, or cancel a queued one",
  middleware: [allow(...OPERATORS)] as const,
  request: { params: IdParam, ...jsonBody(UpdateTaskInput) },
  responses: { 200: json(TaskInfo, "The task"), ...errorResponses },
});

const listExecutions = createRoute({
  method: "get",
  path: "/tasks/{id}/executions",
  tags,
  security,
  summary: "A task's executions, newest first, with their reports (at most 20 a page)",
  middleware: [allow(...READERS)] as const,
  request: { params: IdParam, query: ListExecutionsQuery },
  responses: { 200: json(pageOf(ExecutionInfo), "A page of executions"), ...errorResponses },
});

const taskHistory = createRoute({
  method: "get",
  path: "/tasks/{id}/history",
  tags,
  security,
  summary: "A task's status history, newest first",
  middleware: [allow(...READERS)] as const,
  request: { params: IdParam, query: PageQuery },
  responses: { 200: json(pageOf(ActivityInfo), "A page of activity"), ...errorResponses },
});

export const tasks = router()
  .openapi(createTask, async (c) =>
    c.json(await Task.create(c.var.ctx, c.req.valid("json"), c.var.actor.name), 201),
  )
  .openapi(listTasks, async (c) => c.json(await Task.list(c.var.ctx, c.req.valid("query")), 200))
  .openapi(getTask, async (c) => c.json(await Task.get(c.var.ctx, c.req.valid("param").id), 200))
  .openapi(updateTask, async (c) =>
    c.json(await Task.update(c.var.ctx, c.req.valid("param").id, c.req.valid("json"), c.var.actor.name), 200),
  )
  .openapi(listExecutions, async (c) => {
    const { id } = c.req.valid("param");
    await Task.get(c.var.ctx, id);
    return c.json(await Execution.listByTask(c.var.ctx, id, c.req.valid("query")), 200);
  })
  .openapi(taskHistory, async (c) => {
    const { id } = c.req.valid("param");
    await Task.get(c.var.ctx, id);
    return c.json(await Activity.timeline(c.var.ctx, { ...c.req.valid("query"), taskId: id }), 200);
  });
