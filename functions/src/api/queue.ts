import {
  ClaimInput,
  CompleteInput,
  EnqueueInput,
  FailInput,
  QueueStats,
  ReleaseInput,
  toWorkOrderInfo,
  WorkOrderInfo,
} from "@agentvine/core/queue/schema";
import * as Queue from "@agentvine/core/queue/service";
import { TaskInfo, toTaskInfo } from "@agentvine/core/task/schema";
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
    200: json(WorkOrderBody, "The claimed work order"),
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
  .openapi(enqueue, async (c) => {
    const { task, workOrder } = await Queue.reenqueue(
      c.var.ctx,
      c.req.valid("json").taskId,
      c.var.actor.name,
    );
    return c.json({ task: toTaskInfo(task), workOrder: toWorkOrderInfo(workOrder) }, 201);
  })
  .openapi(claim, async (c) => {
    const { workerId, workOrderId, receiptHandle, priority } = c.req.valid("json");
    assertSelf(c.var.actor, workerId);
    const delivery = receiptHandle && priority ? { receiptHandle, priority } : undefined;
    const wo = workOrderId
      ? await Queue.claimById(c.var.ctx, workerId, workOrderId, delivery)
      : await Queue.claimNext(c.var.ctx, workerId);
    if (!wo) return c.body(null, 204);
    return c.json({ workOrder: toWorkOrderInfo(wo) }, 200);
  })
  .openapi(complete, async (c) => {
    const wo = await Queue.complete(c.var.ctx, c.var.actor.principalId, c.req.valid("json"));
    return c.json({ workOrder: toWorkOrderInfo(wo) }, 200);
  })
  .openapi(fail, async (c) => {
    const wo = await Queue.fail(c.var.ctx, c.var.actor.principalId, c.req.valid("json"));
    return c.json({ workOrder: toWorkOrderInfo(wo) }, 200);
  })
  .openapi(release, async (c) => {
    const wo = await Queue.release(c.var.ctx, c.var.actor.principalId, c.req.valid("json").workOrderId);
    return c.json({ workOrder: toWorkOrderInfo(wo) }, 200);
  })
  .openapi(status, async (c) => c.json(await Queue.stats(c.var.ctx), 200));
