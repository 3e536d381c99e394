/**
 * The work order: one attempt at a task, from enqueue through the claim and its lease to its
 * end. Callers read `WorkOrder.claimById(...)`, `WorkOrder.finish(...)`.
 */

export {
  type Claimed,
  claimById,
  claimDelivery,
  claimNext,
  claimNextWithTask,
  claimWithTask,
  type Delivery,
} from "./claim.ts";
export { complete, fail, finish, type Outcome, release } from "./end.ts";
export { create, enqueue, reenqueue, send } from "./enqueue.ts";
export { dropParked, expireParked } from "./expire.ts";
export * as WorkOrder from "./index.ts";
export { heartbeat, renewLease } from "./lease.ts";
export { runtimeGone } from "./lost.ts";
export { park } from "./park.ts";
export { reconcile } from "./reconciler.ts";
export { resume, resumeAnswered } from "./resume.ts";
export { publishStats, stats } from "./stats.ts";
export { get, getConsistent, load, remove } from "./store.ts";
