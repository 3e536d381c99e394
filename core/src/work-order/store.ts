import { iso } from "../clock.ts";
import type { Ctx } from "../context.ts";
import type { WorkOrderStatus } from "../db/enums.ts";
import { orNull, type WorkOrderItem } from "../db/index.ts";
import { notFound } from "../errors.ts";
import { addLogFields } from "../log.ts";
import type { Priority } from "../resources.ts";

/**
 * The work order's access patterns, one function each. A conditional write that loses is a
 * value here (null or false), never an exception: callers decide what losing means.
 */

export const get = async (ctx: Ctx, id: string): Promise<WorkOrderItem | null> =>
  (await ctx.db.workOrder.get({ id }).go()).data;

export const load = async (ctx: Ctx, id: string): Promise<WorkOrderItem> => {
  const wo = await get(ctx, id);
  if (!wo) throw notFound("workOrder", id);
  addLogFields({ workOrderId: wo.id, taskId: wo.taskId });
  return wo;
};

/** What a new work order is made of; the rest (queued, enqueuedAt, ...) is set here. */
export interface NewWorkOrder {
  id: string;
  taskId: string;
  taskCreatedAt: string;
  priority: Priority;
  resume?: WorkOrderItem["resume"];
}

export const insert = async (ctx: Ctx, input: NewWorkOrder): Promise<WorkOrderItem> => {
  const now = ctx.clock.now();
  const { data } = await ctx.db.workOrder
    .create({ ...input, status: "queued", enqueuedAt: iso(now), retryCount: 0, sentAt: now })
    .go();
  return data;
};

export const remove = async (ctx: Ctx, id: string) => {
  await ctx.db.workOrder.delete({ id }).go();
};

const claimedBy = (ctx: Ctx, workerId: string, receiptHandle?: string) => {
  const now = ctx.clock.now();
  return {
    status: "claimed" as const,
    workerId,
    claimedAt: iso(now),
    leaseExpiresAt: now + ctx.config.leaseMs,
    ...(receiptHandle ? { receiptHandle } : {}),
  };
};

/**
 * The queued case of the claim's deciding write, needing no read: the id and the enqueuedAt (an
 * index key; ElectroDB's `composite` also makes it part of the condition, so a message that gets
 * it wrong is refused rather than misfiling the item). The work order as written, or null: not
 * queued (claimed, ended, gone), or not under that enqueuedAt.
 */
export const takeQueued = async (
  ctx: Ctx,
  wo: Pick<WorkOrderItem, "id" | "enqueuedAt">,
  workerId: string,
  receiptHandle?: string,
): Promise<WorkOrderItem | null> => {
  const won = await orNull(
    ctx.db.workOrder
      .patch({ id: wo.id })
      .set(claimedBy(ctx, workerId, receiptHandle))
      .composite({ enqueuedAt: wo.enqueuedAt })
      .where((attr, op) => op.eq(attr.status, "queued"))
      .go({ response: "all_new" }),
  );
  return won ? (won.data as WorkOrderItem) : null;
};

/**
 * The claim's one deciding write, from the state read: a queued work order, or a claimed one
 * whose lease is the one seen (a takeover, retryCount + 1). Null: another claimer won.
 */
export const take = async (
  ctx: Ctx,
  wo: WorkOrderItem,
  workerId: string,
  receiptHandle?: string,
): Promise<WorkOrderItem | null> => {
  if (wo.status !== "claimed") return takeQueued(ctx, wo, workerId, receiptHandle);
  const changes = { ...claimedBy(ctx, workerId, receiptHandle), retryCount: wo.retryCount + 1 };
  const won = await orNull(
    ctx.db.workOrder
      .patch({ id: wo.id })
      .set(changes)
      .composite({ enqueuedAt: wo.enqueuedAt })
      .where(
        (attr, op) =>
          `${op.eq(attr.status, "claimed")} AND ${op.eq(attr.leaseExpiresAt, wo.leaseExpiresAt ?? 0)}`,
      )
      .go(),
  );
  return won ? { ...wo, ...changes } : null;
};

/** A newer delivery of work a holder still works on: its receipt is the one to extend and delete. */
export const recordReceipt = async (ctx: Ctx, held: WorkOrderItem, receiptHandle: string) =>
  (await orNull(
    ctx.db.workOrder
      .patch({ id: held.id })
      .set({ receiptHandle })
      .where(
        (attr, op) => `${op.eq(attr.status, "claimed")} AND ${op.eq(attr.workerId, held.workerId ?? "")}`,
      )
      .go(),
  )) !== null;

/** Extends a holder's lease; null when the work order is no longer claimed by it. */
export const renew = async (ctx: Ctx, id: string, workerId: string) => {
  const renewed = await orNull(
    ctx.db.workOrder
      .patch({ id })
      .set({ leaseExpiresAt: ctx.clock.now() + ctx.config.leaseMs })
      .where((attr, op) => `${op.eq(attr.status, "claimed")} AND ${op.eq(attr.workerId, workerId)}`)
      .go({ response: "all_new" }),
  );
  return renewed ? (renewed.data as Partial<WorkOrderItem>) : null;
};

/**
 * Ends a work order from the state read; a claimed one also by the holder read, so a takeover
 * in between makes this ending lose (null). The work order as ended, without a read.
 */
export const end = async (
  ctx: Ctx,
  wo: WorkOrderItem,
  status: Extract<WorkOrderStatus, "completed" | "failed">,
  reason?: string,
): Promise<WorkOrderItem | null> => {
  const ended = await orNull(
    ctx.db.workOrder
      .patch({ id: wo.id })
      .set({ status, completedAt: iso(ctx.clock.now()), ...(reason ? { failureReason: reason } : {}) })
      .remove(["leaseExpiresAt"])
      .composite({ enqueuedAt: wo.enqueuedAt })
      .where((attr, op) =>
        wo.status === "claimed" && wo.workerId
          ? `${op.eq(attr.status, "claimed")} AND ${op.eq(attr.workerId, wo.workerId)}`
          : op.eq(attr.status, wo.status),
      )
      .go({ response: "all_new" }),
  );
  return ended && (ended.data as WorkOrderItem);
};

/** A holder gives its claim back: queued again, not counted as a retry. */
export const requeue = async (ctx: Ctx, wo: WorkOrderItem, workerId: string) =>
  (await orNull(
    ctx.db.workOrder
      .patch({ id: wo.id })
      .set({ status: "queued", sentAt: ctx.clock.now() })
      .remove(["workerId", "claimedAt", "leaseExpiresAt", "receiptHandle"])
      .composite({ enqueuedAt: wo.enqueuedAt })
      .where((attr, op) => `${op.eq(attr.status, "claimed")} AND ${op.eq(attr.workerId, workerId)}`)
      .go(),
  )) !== null;

/**
 * The holder is known to be gone: its lease ends now, so the next delivery is a takeover
 * (retryCount + 1) through the claim protocol. False when it is no longer claimed by that holder.
 */
export const expireLease = async (ctx: Ctx, wo: WorkOrderItem, workerId: string) =>
  (await orNull(
    ctx.db.workOrder
      .patch({ id: wo.id })
      .set({ leaseExpiresAt: ctx.clock.now() })
      .where((attr, op) => `${op.eq(attr.status, "claimed")} AND ${op.eq(attr.workerId, workerId)}`)
      .go(),
  )) !== null;

/** Marks a resend (conditionally on the state seen), so two reconcilers do not both resend. */
export const markSent = async (ctx: Ctx, wo: WorkOrderItem) =>
  (await orNull(
    ctx.db.workOrder
      .patch({ id: wo.id })
      .set({ sentAt: ctx.clock.now() })
      .where((attr, op) => `${op.eq(attr.status, wo.status)} AND ${op.eq(attr.sentAt, wo.sentAt)}`)
      .go(),
  )) !== null;

export const byStatus = async (ctx: Ctx, status: WorkOrderStatus): Promise<WorkOrderItem[]> =>
  (await ctx.db.workOrder.query.byStatus({ status }).go({ pages: "all" })).data;

export const countByStatus = async (ctx: Ctx, status: WorkOrderStatus): Promise<number> =>
  (await ctx.db.workOrder.query.byStatus({ status }).go({ pages: "all", attributes: ["id"] })).data.length;

export type Park = NonNullable<WorkOrderItem["park"]>;

/** The park's one deciding write: claimed by this worker -> parked, with where its run waits. */
export const park = async (ctx: Ctx, wo: WorkOrderItem, workerId: string, parked: Park) => {
  const changes = { status: "parked" as const, park: parked, completedAt: parked.parkedAt };
  const won = await orNull(
    ctx.db.workOrder
      .patch({ id: wo.id })
      .set(changes)
      .remove(["leaseExpiresAt"])
      .composite({ enqueuedAt: wo.enqueuedAt })
      .where((attr, op) => `${op.eq(attr.status, "claimed")} AND ${op.eq(attr.workerId, workerId)}`)
      .go(),
  );
  return won ? ({ ...wo, ...changes } as WorkOrderItem) : null;
};

/**
 * Names the work order that resumes a parked one: only while none does, so an answer and a
 * park completing at once make one resume. False when another resume (or an end) came first.
 */
export const markResumed = async (ctx: Ctx, wo: WorkOrderItem, resumedBy: string) =>
  (await orNull(
    ctx.db.workOrder
      .patch({ id: wo.id })
      .data((attr, op) => op.set(attr.park.resumedBy, resumedBy))
      .where((attr, op) => `${op.eq(attr.status, "parked")} AND ${op.notExists(attr.park.resumedBy)}`)
      .go(),
  )) !== null;

/** Ends a parked run that will never resume (expired, cancelled): false when a resume came first. */
export const endParked = async (ctx: Ctx, wo: WorkOrderItem, reason: string) =>
  (await orNull(
    ctx.db.workOrder
      .patch({ id: wo.id })
      .set({ status: "failed", failureReason: reason })
      .composite({ enqueuedAt: wo.enqueuedAt })
      .where((attr, op) => `${op.eq(attr.status, "parked")} AND ${op.notExists(attr.park.resumedBy)}`)
      .go(),
  )) !== null;

/** A work order read strongly: a park and an answer each read what the other wrote just before. */
export const getConsistent = async (ctx: Ctx, id: string): Promise<WorkOrderItem | null> =>
  (await ctx.db.workOrder.get({ id }).go({ consistent: true })).data;
