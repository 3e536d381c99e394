import * as Activity from "../activity/service.ts";
import { later } from "../after.ts";
import { iso } from "../clock.ts";
import { leaseSeconds } from "../config.ts";
import type { Ctx } from "../context.ts";
import type { TaskItem, WorkOrderItem } from "../db/index.ts";
import { notFound, VisibleError } from "../errors.ts";
import { addLogFields } from "../log.ts";
import type { ReceivedMessage, WorkOrderMessage } from "../ports/queue.ts";
import { PRIORITIES } from "../resources.ts";
import { type TaskInfo, toTaskInfo } from "../task/schema.ts";
import * as TaskState from "../task/state.ts";
import * as TaskStore from "../task/store.ts";
import * as Worker from "../worker/service.ts";
import * as WorkerStore from "../worker/store.ts";
import { finish } from "./end.ts";
import { redeliver } from "./enqueue.ts";
import { toWorkOrderInfo, type WorkOrderInfo } from "./schema.ts";
import * as Store from "./store.ts";
import { windUp } from "./wind-up.ts";

type Outcome =
  | { kind: "claimed"; workOrder: WorkOrderItem; task: TaskItem }
  | { kind: "held"; workOrder: WorkOrderItem }
  | { kind: "finished" | "lost" };

/**
 * The claim protocol: a queued work order, or a claimed one whose lease has run out (its worker
 * is lost: a takeover, retryCount + 1), is taken by one conditional write. The task is read
 * alongside, so a won claim needs no further round trip to know it.
 */
const take = async (
  ctx: Ctx,
  wo: WorkOrderItem,
  workerId: string,
  receiptHandle?: string,
): Promise<Outcome> => {
  // A parked work order is done too: its answer resumes the task as a new work order.
  if (wo.status === "completed" || wo.status === "failed" || wo.status === "parked")
    return { kind: "finished" };
  const takeover = wo.status === "claimed";
  if (takeover && (wo.leaseExpiresAt ?? 0) > ctx.clock.now()) return { kind: "held", workOrder: wo };
  if (takeover && wo.retryCount >= ctx.config.maxRetries) {
    // False: another delivery's claimer (or the holder) ended it first; finished all the same.
    await finish(ctx, wo, {
      status: "failed",
      reason: `Worker lost ${wo.retryCount + 1} times; gave up after ${ctx.config.maxRetries} retries`,
    });
    return { kind: "finished" };
  }
  const [won, task] = await Promise.all([
    Store.take(ctx, wo, workerId, receiptHandle),
    TaskState.load(ctx, wo.taskId),
  ]);
  return won ? { kind: "claimed", workOrder: won, task } : { kind: "lost" };
};

const FROM = ["queued", "in_progress"] as const;

/** A task as a won claim may know it: read, or only its keys (from the delivery's message). */
type ClaimedTask = TaskItem | Pick<TaskItem, "id" | "createdAt">;

/**
 * The task's move to in_progress. A task known by the message's keys alone is written without a
 * read; should those keys not be its own (the write checks them), it is read and written again.
 */
const startTask = async (ctx: Ctx, task: ClaimedTask, changes: TaskStore.TaskChanges) => {
  const written = await TaskStore.update(ctx, task, changes, FROM);
  if (written || "status" in task) return written;
  return TaskStore.update(ctx, await TaskState.load(ctx, task.id), changes, FROM);
};

/**
 * After a won claim: the task is in progress and the worker busy. Both writes go together and
 * are done before the answer (the worker's next calls read them), the timeline line after
 * them, without holding the answer. The task's `in_progress` is pushed once its write is done,
 * not before: pushed earlier, a browser that re-read the task list in between kept the stale
 * `queued` row, and no later event corrected it. Should the task have moved on meanwhile
 * (cancelled under the claim), its real state is pushed and the claim is a conflict. The
 * worker's write is the check that it still exists (deregistered under a token still cached):
 * if not, the claim goes back.
 */
const afterClaim = async (ctx: Ctx, wo: WorkOrderItem, task: ClaimedTask, workerId: string) => {
  addLogFields({ taskId: wo.taskId, workOrderId: wo.id });
  const changes = { status: "in_progress" as const, workerId, updatedAt: iso(ctx.clock.now()) };
  // A takeover: the lost worker's execution and questions end first, so the new holder's
  // execution (started right after this answer) is never mistaken for the lost one.
  if (wo.retryCount > 0) {
    await windUp(ctx, wo, {
      execution: { status: "failed", output: "The worker was lost; another worker took the task over" },
      note: "The worker was lost; another worker took the task over",
      freeWorker: false,
      deleteMessage: false,
    });
  }
  const starting = startTask(ctx, task, changes);
  const busy = Worker.setStatus(ctx, workerId, "busy", { taskId: wo.taskId, workOrderId: wo.id });
  // Both awaited below: never an unhandled rejection meanwhile.
  starting.catch(() => {});
  busy.catch(() => {});
  const written = await starting;
  // Pushed the moment it is written, not held for the worker's write (a worker found gone puts
  // the task back to queued below, and that is pushed too).
  if (written) await TaskState.publish(ctx, written);
  if (!(await busy)) {
    if (written) await TaskState.changeIf(ctx, written, { status: "queued" }, ["in_progress"], ["workerId"]);
    await giveBack(ctx, wo, workerId);
    throw notFound("worker", workerId);
  }
  if (!written) {
    const current = await TaskState.load(ctx, task.id);
    await TaskState.publish(ctx, current);
    throw new VisibleError(
      "conflict",
      "task.invalid_state",
      `Task ${task.id} is ${current.status}; this needs it to be queued or in_progress`,
      { status: current.status, expected: FROM },
    );
  }
  await later(ctx, () =>
    Activity.record(ctx, {
      type: "task.claimed",
      summary: `${wo.retryCount > 0 ? `Retry ${wo.retryCount}: ` : ""}"${written.title}" claimed`,
      taskId: wo.taskId,
      workerId,
    }),
  );
  return { workOrder: wo, task: written };
};

/**
 * One SQS delivery of a work order: which one, from which queue, by which receipt, and what its
 * message says of it (taskId, enqueuedAt: absent in older messages).
 */
export interface Delivery extends Partial<Omit<WorkOrderMessage, "workOrderId">> {
  workOrderId: string;
  priority: ReceivedMessage["priority"];
  receiptHandle: string;
}

/**
 * Claims the work order an SQS delivery points at (read already, or null when gone). Duplicate
 * deliveries of finished work are deleted; a delivery of work another worker holds under a live
 * lease is hidden until that lease would end, and its newer receipt recorded for the holder's
 * visibility extensions.
 */
const claimRead = async (ctx: Ctx, workerId: string, msg: Delivery, wo: WorkOrderItem | null) => {
  const outcome = wo ? await take(ctx, wo, workerId, msg.receiptHandle) : ({ kind: "finished" } as const);
  if (outcome.kind === "finished") await ctx.queue.delete(msg.priority, msg.receiptHandle);
  if (outcome.kind === "held") {
    const holder = outcome.workOrder;
    const remaining = Math.max(1, Math.ceil(((holder.leaseExpiresAt ?? 0) - ctx.clock.now()) / 1000));
    await Promise.all([
      Store.recordReceipt(ctx, holder, msg.receiptHandle),
      ctx.queue.setVisibility(msg.priority, msg.receiptHandle, remaining),
    ]);
  }
  if (outcome.kind !== "claimed") return null;
  return afterClaim(ctx, outcome.workOrder, outcome.task, workerId);
};

/** A won claim's worker turned out gone (deregistered under a token still cached): the claim goes back. */
const giveBack = async (ctx: Ctx, wo: WorkOrderItem, workerId: string) => {
  if (await Store.requeue(ctx, wo, workerId)) await redeliver(ctx, wo);
};

/**
 * A delivery whose message says when its work order was enqueued: the queued case is claimed by
 * the deciding write alone. A message that also names its task's creation lets the task be
 * written without a read, and the worker's own write checks it is still there; an older message
 * has the task (and, for a claim by id, the worker) read alongside. Only when the deciding
 * write's condition fails (held, taken over, finished, lost to another claimer, or a message
 * that does not match) is the work order read, strongly since it just changed, and the
 * delivery handled as one read first.
 */
const claimMessage = async (
  ctx: Ctx,
  workerId: string,
  msg: Delivery & { enqueuedAt: string },
  checkWorker: boolean,
) => {
  const keys = msg.taskId && msg.taskCreatedAt ? { id: msg.taskId, createdAt: msg.taskCreatedAt } : null;
  const [won, task, worker] = await Promise.all([
    Store.takeQueued(ctx, { id: msg.workOrderId, enqueuedAt: msg.enqueuedAt }, workerId, msg.receiptHandle),
    !keys && msg.taskId ? TaskStore.get(ctx, msg.taskId) : null,
    checkWorker && !keys ? WorkerStore.get(ctx, workerId) : true,
  ]);
  if (!worker) {
    if (won) await giveBack(ctx, won, workerId);
    throw notFound("worker", workerId);
  }
  if (!won) return claimRead(ctx, workerId, msg, await Store.getConsistent(ctx, msg.workOrderId));
  const known = [keys, task].find((t) => t?.id === won.taskId);
  return afterClaim(ctx, won, known ?? (await TaskState.load(ctx, won.taskId)), workerId);
};

export const claimDelivery = async (ctx: Ctx, workerId: string, msg: Delivery) =>
  msg.enqueuedAt
    ? claimMessage(ctx, workerId, { ...msg, enqueuedAt: msg.enqueuedAt }, false)
    : claimRead(ctx, workerId, msg, await Store.get(ctx, msg.workOrderId));

/** A won claim as the API answers it: the work order and its task (the worker needs no read). */
export interface Claimed {
  workOrder: WorkOrderInfo;
  task: TaskInfo;
}
const claimedInfo = (c: { workOrder: WorkOrderItem; task: TaskItem }): Claimed => ({
  workOrder: toWorkOrderInfo(c.workOrder),
  task: toTaskInfo(c.task),
});

/** Claims the next work order in strict priority order (for workers that do not read SQS themselves). */
export const claimNextWithTask = async (ctx: Ctx, workerId: string): Promise<Claimed | null> => {
  await Worker.load(ctx, workerId);
  for (const priority of PRIORITIES) {
    for (;;) {
      const [msg] = await ctx.queue.receive(priority, {
        waitSeconds: 0,
        visibilitySeconds: leaseSeconds(ctx.config),
      });
      if (!msg) break;
      const claimed = await claimDelivery(ctx, workerId, {
        ...msg.body,
        priority: msg.priority,
        receiptHandle: msg.receiptHandle,
      });
      if (claimed) return claimedInfo(claimed);
    }
  }
  return null;
};

export const claimNext = async (ctx: Ctx, workerId: string): Promise<WorkOrderInfo | null> =>
  (await claimNextWithTask(ctx, workerId))?.workOrder ?? null;

/** A named work order, read first: with the delivery it came by, or on its own (a conflict when not claimable). */
const claimReadById = async (
  ctx: Ctx,
  workerId: string,
  workOrderId: string,
  delivery?: Omit<Delivery, "workOrderId">,
) => {
  const [, wo] = await Promise.all([Worker.load(ctx, workerId), Store.get(ctx, workOrderId)]);
  if (delivery) return claimRead(ctx, workerId, { ...delivery, workOrderId }, wo);
  const outcome = await take(ctx, wo ?? (await Store.load(ctx, workOrderId)), workerId);
  return outcome.kind === "claimed" ? afterClaim(ctx, outcome.workOrder, outcome.task, workerId) : null;
};

/**
 * Claims one named work order; a conflict when it is not claimable. With the SQS delivery a
 * worker received it by, the claim records that receipt (the lease then drives its
 * visibility). A delivery whose message carries enqueuedAt is claimed by the deciding write
 * first (claimMessage); otherwise the worker and the work order are read together, then the
 * deciding write.
 */
export const claimWithTask = async (
  ctx: Ctx,
  workerId: string,
  workOrderId: string,
  delivery?: Omit<Delivery, "workOrderId">,
): Promise<Claimed> => {
  const claimed = delivery?.enqueuedAt
    ? await claimMessage(ctx, workerId, { ...delivery, workOrderId, enqueuedAt: delivery.enqueuedAt }, true)
    : await claimReadById(ctx, workerId, workOrderId, delivery);
  if (!claimed) {
    throw new VisibleError(
      "conflict",
      "workOrder.claim_lost",
      `Work order ${workOrderId} was not claimable: it is already claimed or finished`,
      { workOrderId },
    );
  }
  return claimedInfo(claimed);
};

export const claimById = async (...args: Parameters<typeof claimWithTask>): Promise<WorkOrderInfo> =>
  (await claimWithTask(...args)).workOrder;
