import { TaskInfo } from "@agentvine/core/task/schema";
import { WorkOrder } from "@agentvine/core/work-order/index";
import {
  ClaimInput,
  CompleteInput,
  EnqueueInput,
  FailInput,
  QueueStats,
  ReleaseInput,
  WorkOrderInfo,
} from "@agentvine/core/work-order/schema";
import { createRoute, z } from "@hono/zod-openapi";
import { allow, assertSelf, OPERATORS, READERS } from "./auth.ts";
import { errorResponses } from "./errors.ts";
import { json, jsonBody, router, security } from "./router.ts";

const tags = ["Queue"];
const WorkOrderBody = z.object({ workOrder: WorkOrderInfo });

const enqueue = createRoute({
  method: "post",
  path: "/queue/enqueue",
  tags,
  security,
  summary: "Re-enqueue a failed or cancelled task",
  middleware: [allow(...OPERATORS)] as const,
  request: jsonBody(EnqueueInput),
  responses: {
    201: json(z.object({ task: TaskInfo, workOrder: WorkOrderInfo }), "The new work order"),
    ...errorResponses,
  },
});

const claim = createRoute({
  method: "post",
  path: "/queue/claim",
  tags,
  security,
  summary: "Claim the next work order in priority order (atomic), or a named one",
  middleware: [allow("worker")] as const,
  request: jsonBody(ClaimInput),
  responses: {
    200: json(WorkOrderBody.extend({ task: TaskInfo }), "The claimed work order and its task"),
    204: { description: "Nothing is queued" },
    ...errorResponses,
  },
});

const complete = createRoute({
  method: "post",
  path: "/queue/complete",
  tags,
  security,
  summary: "Complete a claimed work order",
  middleware: [allow("worker")] as const,
  request: jsonBody(CompleteInput),
  responses: { 200: json(WorkOrderBody, "The completed work order"), ...errorResponses },
});

const fail = createRoute({
  method: "post",
  path: "/queue/fail",
  tags,
  security,
  summary: "Fail a claimed work order with a reason",
  middleware: [allow("worker")] as const,
  request: jsonBody(FailInput),
  responses: { 200: json(WorkOrderBody, "The failed work order"), ...errorResponses },
});

const release = createRoute({
  method: "post",
  path: "/queue/release",
  tags,
  security,
  summary: "Give a claimed work order back to the queue (a worker stopping)",
  middleware: [allow("worker")] as const,
  request: jsonBody(ReleaseInput),
  responses: { 200: json(WorkOrderBody, "The work order, queued again"), ...errorResponses },
});

const status = createRoute({
  method: "get",
  path: "/queue/status",
  tags,
  security,
  summary: "Depth per priority, in flight, dead letters",
  middleware: [allow(...READERS)] as const,
  responses: { 200: json(QueueStats, "Queue statistics"), ...errorResponses },
});

export const queue = router()
  .openapi(enqueue, async (c) =>
    c.json(await WorkOrder.reenqueue(c.var.ctx, c.req.valid("json").taskId, c.var.actor.name), 201),
  )
  .openapi(claim, async (c) => {
    const { workerId, workOrderId, receiptHandle, priority } = c.req.valid("json");
    assertSelf(c.var.actor, workerId);
    const delivery = receiptHandle && priority ? { receiptHandle, priority } : undefined;
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
  .openapi(status, async (c) => c.json(await WorkOrder.stats(c.var.ctx), 200));
