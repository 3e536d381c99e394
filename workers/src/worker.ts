import { randomUUID } from "node:crypto";
import type { SessionInfo } from "@agentvine/core/session/schema";
import type { WorkOrderInfo } from "@agentvine/core/work-order/schema";
import { type ApiClient, ApiError } from "./api-client.ts";
import { askHuman } from "./clarifier.ts";
import { ExecutionFailed, type Executor } from "./executor.ts";
import type { Poller } from "./poller.ts";
import type { TaskProtection } from "./protection.ts";
import type { RealtimeClient } from "./realtime-client.ts";

export interface WorkerDeps {
  api: ApiClient;
  realtime: RealtimeClient;
  poller: Poller;
  executor: Executor;
  protection: TaskProtection;
  identity: { name: string; host?: string; pid?: number; runtimeId?: string };
  heartbeatIntervalMs: number;
  stopGraceMs: number;
  log: (msg: string) => void;
}

/** Why a running execution was stopped; decides what happens to its work order. */
class Stop extends Error {
  constructor(
    readonly why: "shutdown" | "lease-lost" | "session-terminated",
    detail: string,
  ) {
    super(detail);
  }
}

/**
 * The worker loop: register, then claim -> execute -> complete/fail until closed. Claims go
 * through the API (one conditional write in core); the SQS delivery keeps the message hidden
 * while the heartbeat renews the lease. Closing stops claiming, lets the running task finish
 * within the grace period or releases it back to the queue, then deregisters.
 */
export class AgentWorker {
  #running: Promise<void> | null = null;
  #closing: Promise<void> | null = null;
  #stopping = false;
  #current: { workOrder: WorkOrderInfo; abort: AbortController; done: Promise<void> } | null = null;
  #heartbeat: NodeJS.Timeout | null = null;
  workerId = "";

  constructor(private readonly deps: WorkerDeps) {}

  run() {
    if (this.#running) throw new Error("This worker is already running");
    this.#running = this.#loop();
    return this.#running;
  }

  async #loop() {
    const { api, realtime, poller, log } = this.deps;
    const worker = await api.register(this.deps.identity);
    this.workerId = worker.id;
    log(`registered as ${worker.name} (${worker.id})`);
    await realtime.connect();
    this.#heartbeat = setInterval(() => void this.#beat(), this.deps.heartbeatIntervalMs);
    while (!this.#stopping) {
      const delivery = await poller.next();
      if (!delivery) continue;
      if (this.#stopping) {
        await poller.release(delivery);
        break;
      }
      let workOrder: WorkOrderInfo;
      try {
        workOrder = await api.claim({
          workerId: worker.id,
          workOrderId: delivery.body.workOrderId,
          receiptHandle: delivery.receiptHandle,
          priority: delivery.priority,
        });
      } catch (err) {
        // A duplicate delivery or a lost race: core has dealt with the message.
        if (err instanceof ApiError && err.status === 409) continue;
        throw err;
      }
      if (this.#stopping) {
        // Stopped while the claim was out: hand the work straight back.
        await api.release(workOrder.id).catch((err) => log(`release failed: ${(err as Error).message}`));
        break;
      }
      const abort = new AbortController();
      const done = this.#execute(workOrder, abort);
      this.#current = { workOrder, abort, done };
      await done;
      this.#current = null;
    }
  }

  async #beat() {
    try {
      const { leaseLost } = await this.deps.api.heartbeat(this.workerId);
      if (leaseLost) this.#current?.abort.abort(new Stop("lease-lost", "The work order was taken over"));
    } catch (err) {
      this.deps.log(`heartbeat failed: ${(err as Error).message}`);
    }
  }

  async #execute(workOrder: WorkOrderInfo, abort: AbortController) {
    const { api, realtime, executor, protection, log } = this.deps;
    await protection.set(true);
    let session: SessionInfo | null = null;
    const offSession = realtime.on((event) => {
      const s = event.data as Partial<SessionInfo>;
      if (event.type === "session.updated" && session && s.id === session.id && s.status === "terminated") {
        abort.abort(new Stop("session-terminated", String(s.terminationReason)));
      }
    });
    try {
      const task = await api.task(workOrder.taskId);
      session = await api.openSession({
        sessionId: `agent-${randomUUID()}`,
        workerId: this.workerId,
        taskId: task.id,
      });
      const executionId = session.executionId ?? "";
      log(`working on "${task.title}" (${task.id}) in session ${session.sessionId}`);
      const { output } = await executor.run(task, {
        signal: abort.signal,
        progress: async (percent, step) => void (await api.progress(executionId, percent, step)),
        ask: (question) => askHuman(api, realtime, task.id, question, abort.signal),
      });
      await api.complete(workOrder.id, output);
    } catch (err) {
      await this.#settle(workOrder, abort.signal.aborted ? abort.signal.reason : err);
    } finally {
      offSession();
      await protection.set(false);
    }
  }

  /** Ends a work order whose execution did not complete, as the reason demands. */
  async #settle(workOrder: WorkOrderInfo, reason: unknown) {
    const { api, log } = this.deps;
    try {
      if (reason instanceof Stop) {
        log(`stopped work order ${workOrder.id}: ${reason.why} (${reason.message})`);
        // The reaper already failed it, or another worker holds it now: nothing to report.
        if (reason.why === "shutdown") await api.release(workOrder.id);
      } else {
        const message = reason instanceof Error ? reason.message : String(reason);
        if (!(reason instanceof ExecutionFailed)) log(`execution error: ${message}`);
        await api.fail(workOrder.id, message);
      }
    } catch (err) {
      // A 409 means core moved the work order on meanwhile (reaped, taken over): that stands.
      if (!(err instanceof ApiError && err.status === 409))
        log(`could not settle ${workOrder.id}: ${(err as Error).message}`);
    }
  }

  /** Idempotent. Each step runs even if an earlier one failed. */
  close() {
    this.#closing ??= (async () => {
      this.#stopping = true;
      const { api, realtime, poller, log } = this.deps;
      const current = this.#current;
      if (current) {
        const graceOver = new Promise((r) => setTimeout(r, this.deps.stopGraceMs).unref());
        await Promise.race([current.done, graceOver]);
        current.abort.abort(new Stop("shutdown", "The worker is stopping"));
        await current.done;
      }
      // The loop ends at its next turn: after the poll that is out returns.
      await this.#running?.catch(() => {});
      const steps: [string, () => unknown][] = [
        ["stop heartbeat", () => this.#heartbeat && clearInterval(this.#heartbeat)],
        ["drain polls", () => poller.drain()],
        ["deregister", () => this.workerId && api.deregister(this.workerId)],
        ["close realtime", () => realtime.close()],
      ];
      for (const [name, step] of steps) {
        try {
          await step();
        } catch (err) {
          log(`close: ${name} failed: ${(err as Error).message}`);
        }
      }
    })();
    return this.#closing;
  }
}
