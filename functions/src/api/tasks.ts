import { ActivityInfo } from "@agentvine/core/activity/schema";
import * as Activity from "@agentvine/core/activity/service";
import { ExecutionInfo, ListExecutionsQuery } from "@agentvine/core/execution/schema";
import * as Execution from "@agentvine/core/execution/service";
import { PageQuery, pageOf } from "@agentvine/core/page";
import { CreateTaskInput, ListTasksQuery, TaskInfo, UpdateTaskInput } from "@agentvine/core/task/schema";
import * as Task from "@agentvine/core/task/service";
import { OPERATORS, READERS } from "./auth.ts";
import { IdParam, json, jsonBody, router, routesOf } from "./router.ts";

const route = routesOf("Tasks");

const createTask = route({
  method: "post",
  path: "/tasks",
  summary: "Create a task and enqueue it",
  roles: OPERATORS,
  request: jsonBody(CreateTaskInput),
  responses: { 201: json(TaskInfo, "The task, queued") },
});

const listTasks = route({
  method: "get",
  path: "/tasks",
  summary: "List tasks, newest first",
  roles: READERS,
  request: { query: ListTasksQuery },
  responses: { 200: json(pageOf(TaskInfo), "A page of tasks") },
});

const getTask = route({
  method: "get",
  path: "/tasks/{id}",
  summary: "Get a task",
  roles: READERS,
  request: { params: IdParam },
  responses: { 200: json(TaskInfo, "The task") },
});

const updateTask = route({
  method: "patch",
  path: "/tasks/{id}",
  summary: "Edit a task, or cancel it (queued, running: its agent is stopped, or waiting on a person)",
  roles: OPERATORS,
  request: { params: IdParam, ...jsonBody(UpdateTaskInput) },
  responses: { 200: json(TaskInfo, "The task") },
});

const listExecutions = route({
  method: "get",
  path: "/tasks/{id}/executions",
  summary: "A task's executions, newest first, with their reports (at most 20 a page)",
  roles: READERS,
  request: { params: IdParam, query: ListExecutionsQuery },
  responses: { 200: json(pageOf(ExecutionInfo), "A page of executions") },
});

const taskHistory = route({
  method: "get",
  path: "/tasks/{id}/history",
  summary: "A task's status history, newest first",
  roles: READERS,
  request: { params: IdParam, query: PageQuery },
  responses: { 200: json(pageOf(ActivityInfo), "A page of activity") },
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
