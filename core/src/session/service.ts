import * as Activity from "../activity/service.ts";
import { later } from "../after.ts";
import { iso } from "../clock.ts";
import type { Actor, Ctx } from "../context.ts";
import type { SessionItem, WorkOrderItem } from "../db/index.ts";
import { VisibleError } from "../errors.ts";
import * as Execution from "../execution/service.ts";
import { newId, sessionIdFor } from "../ids.ts";
import type { Page } from "../page.ts";
import * as TaskState from "../task/state.ts";
import { WorkOrder as Queue } from "../work-order/index.ts";
import * as Worker from "../worker/service.ts";
import { judge } from "./policy.ts";
import type { CreateSessionInput, ListSessionsQuery, SessionInfo } from "./schema.ts";
import * as SessionState from "./state.ts";
import * as Store from "./store.ts";

const forbidden = (message: string) => new VisibleError("forbidden", "session.forbidden", message);
const exists = (sessionId: string, id: string) =>
  new VisibleError("conflict", "session.exists", `A session with sessionId ${sessionId} exists`, { id });

/**
 * Maps an agent session to its worker (and task). With a task, the worker must hold that
 * task's work order, and the session's execution starts. The worker (it must exist: an admin
 * may name it) and the task are read together; a new session (naming its execution) and the
 * execution are then written at once; the session's event and timeline line follow without
 * holding the answer.
 */
export const create = async (ctx: Ctx, actor: Actor, input: CreateSessionInput): Promise<SessionInfo> => {
  if (actor.role === "worker" && actor.principalId !== input.workerId) {
    throw forbidden("A worker can only open sessions for itself");
  }
  const [, wo] = await Promise.all([
    Worker.load(ctx, input.workerId),
    input.taskId ? heldWorkOrder(ctx, input.workerId, input.taskId) : null,
  ]);
  const now = iso(ctx.clock.now());
  const id = sessionIdFor(input.sessionId);
  const run = wo && {
    id: newId(),
    taskId: wo.taskId,
    workOrderId: wo.id,
    workerId: input.workerId,
    sessionId: input.sessionId,
  };
  // A resumed run opens its parked session again: same sessionId, on whichever worker claimed it.
  const resumed =
    wo?.resume?.sessionId === input.sessionId ? await Store.reopen(ctx, id, input.workerId, now) : null;
  let session: SessionItem;
  if (resumed) {
    session = resumed;
    if (run) {
      await Execution.start(ctx, { ...run, resumedFrom: resumed.executionId }, Promise.resolve());
      const changes = { executionId: run.id, updatedAt: iso(ctx.clock.now()) };
      session = (await Store.patchOpen(ctx, session, changes)) ?? session;
    }
  } else {
    const times = { lastActivityAt: now, createdAt: now, updatedAt: now };
    session = { ...input, id, status: "active", ...times, ...(run ? { executionId: run.id } : {}) };
    const creating = Store.createNew(ctx, session).then((created) => {
      if (!created) throw exists(input.sessionId, id);
    });
    await (run ? Execution.start(ctx, run, creating) : creating);
  }
  // The work may have ended while the session opened (a cancel, a takeover): that end found no
  // execution to stop, so the one just started is stopped here, with its session.
  if (wo) await refuseIfLetGo(ctx, wo, id);
  const opened = session;
  await later(ctx, () =>
    Promise.all([
      SessionState.publish(ctx, opened),
      Activity.record(ctx, {
        type: "session.created",
        summary: `Session ${input.sessionId} ${resumed ? "resumed" : "opened"}${input.taskId ? " for a task" : ""}`,
        workerId: input.workerId,
        sessionId: id,
        ...(input.taskId ? { taskId: input.taskId } : {}),
      }),
    ]),
  );
  return SessionState.info(ctx, session);
};

/** The work order the worker holds for the task: the task must exist (404) and be the worker's (403). */
const heldWorkOrder = async (ctx: Ctx, workerId: string, taskId: string) => {
  const task = await TaskState.load(ctx, taskId);
  const wo = task.currentWorkOrderId ? await Queue.load(ctx, task.currentWorkOrderId) : null;
  if (!wo || wo.workerId !== workerId || wo.status !== "claimed") {
    throw forbidden(`Worker ${workerId} does not hold a claimed work order for task ${taskId}`);
  }
  return wo;
};

/**
 * After a run's session and execution are written: the worker must still hold the work order,
 * read strongly (it may have been ended between the check before the writes and the writes).
 * If not, the session is terminated, which fails the execution, and the worker is refused.
 */
const refuseIfLetGo = async (ctx: Ctx, wo: WorkOrderItem, sessionId: string) => {
  const now = await Queue.getConsistent(ctx, wo.id);
  if (now?.status === "claimed" && now.workerId === wo.workerId) return;
  const task = await TaskState.load(ctx, wo.taskId);
  const why = task.failureReason ?? `its work order is ${now?.status ?? "gone"}`;
  await terminateIfOpen(ctx, sessionId, `The work ended as the session opened: ${why}`);
  throw forbidden(`Worker ${wo.workerId} no longer holds the work order for task ${wo.taskId}: ${why}`);
};

/** The task's work order while it is parked, if it is. */
const parkedRunOf = async (ctx: Ctx, taskId: string) => {
  const task = await TaskState.load(ctx, taskId);
  const wo = task.currentWorkOrderId ? await Queue.get(ctx, task.currentWorkOrderId) : null;
  return wo?.status === "parked" ? wo : null;
};

export const get = async (ctx: Ctx, id: string) => SessionState.info(ctx, await SessionState.load(ctx, id));

export const list = async (ctx: Ctx, query: ListSessionsQuery): Promise<Page<SessionInfo>> => {
  const result = await Store.page(ctx, query);
  return { items: result.data.map((s) => SessionState.info(ctx, s)), nextCursor: result.cursor };
};

/** An explicit keep-alive: by the session's own worker, or by a person ("Keep alive"). */
export const heartbeat = async (ctx: Ctx, actor: Actor, id: string): Promise<SessionInfo> => {
  const session = await SessionState.load(ctx, id);
  if (actor.role === "worker" && actor.principalId !== session.workerId)
    throw forbidden("Not this worker's session");
  const updated = await SessionState.touch(ctx, session);
  if (!updated) throw new VisibleError("conflict", "session.terminated", `Session ${id} is terminated`);
  return SessionState.info(ctx, updated);
};

/**
 * Terminates a session: its worker is told (session.updated on its connection) and a work
 * order still running in it fails with the reason, so a person can re-enqueue the task.
 */
export const terminate = async (ctx: Ctx, id: string, reason: string): Promise<SessionInfo> => {
  const session = await SessionState.load(ctx, id);
  const now = iso(ctx.clock.now());
  const ended = await SessionState.change(ctx, session, {
    status: "terminated",
    terminatedAt: now,
    terminationReason: reason,
  });
  if (!ended) throw new VisibleError("conflict", "session.terminated", `Session ${id} is already terminated`);
  // A parked run can never resume without its session: its task fails and its snapshot goes.
  const parkedWo =
    session.status === "parked" && session.taskId ? await parkedRunOf(ctx, session.taskId) : null;
  if (parkedWo)
    await Queue.dropParked(ctx, parkedWo, { reason: `Session terminated: ${reason}`, taskStatus: "failed" });
  const execution = ended.executionId
    ? (await ctx.db.execution.get({ id: ended.executionId }).go()).data
    : null;
  if (execution?.status === "running") {
    const wo = await Queue.load(ctx, execution.workOrderId);
    // Only this session's own claim: after a takeover the work order is another worker's.
    if (wo.status === "claimed" && wo.workerId === session.workerId) {
      await Queue.finish(ctx, wo, { status: "failed", reason: `Session terminated: ${reason}` });
    } else {
      await Execution.finish(ctx, execution, "failed", `Session terminated: ${reason}`);
    }
  }
  await SessionState.recordTerminated(ctx, session, reason);
  return SessionState.info(ctx, ended);
};

/**
 * Terminates a session unless it is terminated already: by a person, the reaper, or whatever
 * else ended it first (the one who did told its worker then).
 */
export const terminateIfOpen = async (ctx: Ctx, id: string, reason: string) => {
  try {
    await terminate(ctx, id, reason);
  } catch (err) {
    if ((err as VisibleError).code !== "session.terminated") throw err;
  }
};

/** The reaper: applies the keep-alive policy to every open session. */
export const reap = async (ctx: Ctx) => {
  const now = ctx.clock.now();
  const terminated: string[] = [];
  for (const status of ["active", "idle"] as const) {
    for (const session of await Store.inStatus(ctx, status)) {
      const verdict = judge(session, now, SessionState.policy(ctx));
      if (!verdict.terminate) continue;
      await terminateIfOpen(ctx, session.id, verdict.reason);
      terminated.push(session.id);
    }
  }
  return terminated;
};
