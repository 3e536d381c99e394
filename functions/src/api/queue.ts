import { TaskInfo } from "@agentvine/core/task/schema";
import { WorkOrder } from "@agentvine/core/work-order/index";
import {
  ClaimInput,
  CompleteInput,
  EnqueueInput,
  FailInput,
  ParkInput,
  QueueStats,
  ReleaseInput,
  WorkOrderInfo,
} from "@agentvine/core/work-order/schema";
import { z } from "@hono/zod-openapi";
import { assertSelf, OPERATORS, READERS } from "./auth.ts";
import { json, jsonBody, router, routesOf } from "./router.ts";

const route = routesOf("Queue");
const WorkOrderBody = z.object({ workOrder: WorkOrderInfo });

const enqueue = route({
  method: "post",
  path: "/queue/enqueue",
  summary: "Re-enqueue a failed or cancelled task",
  roles: OPERATORS,
  request: jsonBody(EnqueueInput),
  responses: {
    201: json(z.object({ task: TaskInfo, workOrder: WorkOrderInfo }), "The new work order"),
  },
});

const claim = route({
  method: "post",
  path: "/queue/claim",
  summary: "Claim the next work order in priority order (atomic), or a named one",
  roles: ["worker"],
  request: jsonBody(ClaimInput),
  responses: {
    200: json(WorkOrderBody.extend({ task: TaskInfo }), "The claimed work order and its task"),
    204: { description: "Nothing is queued" },
  },
});

/** A worker ends the work order it claimed; the answer is the work order as it now stands. */
const end = <N extends string, B extends z.ZodType>(name: N, input: B, summary: string, answer: string) =>
  route({
    method: "post",
    path: `/queue/${name}`,
    summary,
    roles: ["worker"],
    request: jsonBody(input),
    responses: { 200: json(WorkOrderBody, answer) },
  });

const complete = end("complete", CompleteInput, "Complete a claimed work order", "The completed work order");
const fail = end("fail", FailInput, "Fail a claimed work order with a reason", "The failed work order");
const release = end(
  "release",
  ReleaseInput,
  "Give a claimed work order back to the queue (a worker stopping)",
  "The work order, queued again",
);

const park = route({
  method: "post",
  path: "/queue/park",
  summary: "Park the run of a claimed work order: its request waits for a person, its snapshot is stored",
  roles: ["worker"],
  request: jsonBody(ParkInput),
  responses: {
    200: json(
      WorkOrderBody.extend({ resumed: z.boolean() }),
      "The parked work order; resumed: the request was answered meanwhile and the run is queued again",
    ),
  },
});

const status = route({
  method: "get",
  path: "/queue/status",
  summary: "Depth per priority, in flight, dead letters",
  roles: READERS,
  responses: { 200: json(QueueStats, "Queue statistics") },
});

export const queue = router()
  .openapi(enqueue, async (c) =>
    c.json(await WorkOrder.reenqueue(c.var.ctx, c.req.valid("json").taskId, c.var.actor.name), 201),
  )
  .openapi(claim, async (c) => {
    // The rest is the delivery's message as the worker received it (taskId, enqueuedAt, taskCreatedAt).
    const { workerId, workOrderId, receiptHandle, priority, ...message } = c.req.valid("json");
    assertSelf(c.var.actor, workerId);
    const delivery = receiptHandle && priority ? { receiptHandle, priority, ...message } : undefined;
    const claimed = workOrderId
      ? await WorkOrder.claimWithTask(c.var.ctx, workerId, workOrderId, delivery)
      : await WorkOrder.claimNextWithTask(c.var.ctx, workerId);
    return claimed ? c.json(claimed, 200) : c.body(null, 204);
  })
  .openapi(complete, async (c) =>
    c.json(
      { workOrder: await WorkOrder.complete(c.var.ctx, c.var.actor.principalId, c.req.valid("json")) },
      200,
    ),
  )
  .openapi(fail, async (c) =>
    c.json({ workOrder: await WorkOrder.fail(c.var.ctx, c.var.actor.principalId, c.req.valid("json")) }, 200),
  )
  .openapi(release, async (c) => {
    const { workOrderId } = c.req.valid("json");
    return c.json(
      { workOrder: await WorkOrder.release(c.var.ctx, c.var.actor.principalId, workOrderId) },
      200,
    );
  })
  .openapi(park, async (c) =>
    c.json(await WorkOrder.park(c.var.ctx, c.var.actor.principalId, c.req.valid("json")), 200),
  )
  .openapi(status, async (c) => c.json(await WorkOrder.stats(c.var.ctx), 200));
