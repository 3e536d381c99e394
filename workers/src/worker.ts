import { randomUUID } from "node:crypto";
import type { Agent } from "@agentvine/core/db/enums";
import type { ExecutionReport } from "@agentvine/core/execution/schema";
import { addLogFields, withLogFields } from "@agentvine/core/log";
import type { BlobPort } from "@agentvine/core/ports/blob";
import type { ReceivedMessage } from "@agentvine/core/ports/queue";
import type { SessionInfo } from "@agentvine/core/session/schema";
import type { TaskInfo } from "@agentvine/core/task/schema";
import type { WorkOrderInfo } from "@agentvine/core/work-order/schema";
import { runAgent } from "./agent-run.ts";
import type { ApiClient } from "./api-client.ts";
import type { Backoff } from "./backoff.ts";
import { personLoop } from "./clarifier.ts";
import { ExecutionFailed, type Executor } from "./executor.ts";
import { classifyFailure, codeOf, describeFailure, registrationFailure } from "./failure.ts";
import { loadResume, parkRun, RunParked } from "./parking.ts";
import type { Poller } from "./poller.ts";
import type { TaskProtection } from "./protection.ts";
import type { RealtimeClient } from "./realtime-client.ts";
import { createOutage, retry } from "./retry.ts";
import { createRuns } from "./runs.ts";
import { type Ending, endingOf, Stop } from "./stop.ts";
import type { Workspaces } from "./workspace/index.ts";

export interface WorkerDeps {
  api: ApiClient;
  realtime: RealtimeClient;
  poller: Poller;
  /** The executor of each agent this worker can run; a task names its agent. */
  agents: Partial<Record<Agent, Executor>>;
  /** Checkouts of the tasks' repositories, for agents that work in one. */
  workspaces: Workspaces;
  protection: TaskProtection;
  identity: { name: string; host?: string; pid?: number; runtimeId?: string };
  heartbeatIntervalMs: number;
  stopGraceMs: number;
  /** How long a request waits for a person before the run is parked (0: never). */
  parkAfterMs: number;
  /** Where parked runs' snapshots are kept. */
  blob: BlobPort;
  /** How calls that failed transiently (an API or SQS outage) are spaced out. */
  backoff: Backoff;
  log: (msg: string) => void;
}

/** For calls made once whose failure still counts towards the outage (the next beat retries). */
const ONCE = AbortSignal.abort();

/**
 * The worker loop: register, then claim -> execute -> complete/fail until closed. Claims go
 * through the API (one conditional write in core); the SQS delivery keeps the message hidden
 * while the heartbeat renews the lease. An ending (completion, failure) is reported while the
 * worker takes its next work: core frees a worker only while it holds the work that ended.
 * Closing stops claiming, lets the runs finish within the grace period or releases the working
 * one back to the queue, then deregisters.
 * An outage of the API or SQS never ends the loop: every call rides it out with backoff (see
 * failure.ts for what counts as transient); only close() or a fatal error does.
 */
export class AgentWorker {
  #running: Promise<void> | null = null;
  #closing: Promise<void> | null = null;
  /** Aborted by close(): the loop stops claiming, and the retries of its own calls give up. */
  #stop = new AbortController();
  #runs;
  #heartbeat: NodeJS.Timeout | null = null;
  #beating = false;
  #apiOutage;
  #sqsOutage;
  workerId = "";

  constructor(private readonly deps: WorkerDeps) {
    this.#apiOutage = createOutage("API", deps.log);
    this.#sqsOutage = createOutage("SQS", deps.log);
    this.#runs = createRuns(deps.protection);
  }

  run() {
    if (this.#running) throw new Error("This worker is already running");
    // What a retry gives up because the worker is closing is not a failure of the worker.
    // A log scope of its own: once registered, every line carries this worker's id.
    this.#running = withLogFields({}, () => this.#loop()).catch((err) => {
      if (!this.#stopping) throw err;
    });
    return this.#running;
  }

  get #stopping() {
    return this.#stop.signal.aborted;
  }

  /** A call to the API, retried through an outage until it answers or `signal` is aborted. */
  #callApi<T>(what: string, call: () => Promise<T>, signal = this.#stop.signal) {
    return retry(what, call, { outage: this.#apiOutage, backoff: this.deps.backoff, signal });
  }

  async #loop() {
    const { api, realtime, poller, backoff, log } = this.deps;
    const worker = await this.#callApi("register", () => this.deps.api.register(this.deps.identity)).catch(
      (err: unknown) => {
        throw registrationFailure(err);
      },
    );
    this.workerId = worker.id;
    addLogFields({ workerId: worker.id });
    log(`registered as ${worker.name} (${worker.id})`);
    await this.#callApi("realtime connect", () => realtime.connect());
    this.#heartbeat = setInterval(() => void this.#beat(), this.deps.heartbeatIntervalMs);
    const signal = this.#stop.signal;
    while (!this.#stopping) {
      const delivery = await retry("poll", () => poller.next(), { outage: this.#sqsOutage, backoff, signal });
      if (!delivery) continue;
      const claimed = await this.#claim(delivery);
      if (!claimed) continue;
      const { workOrder, task } = claimed;
      if (this.#stopping) {
        // Stopped while the claim was out: hand the work straight back.
        await this.#report("release", workOrder.id, () => api.release(workOrder.id), signal).catch((err) =>
          log(`release failed: ${describeFailure(err)}`),
        );
        break;
      }
      // Every line logged about this work carries its ids (the API's lines about it do too).
      const ids = { taskId: workOrder.taskId, workOrderId: workOrder.id };
      const run = this.#runs.start(workOrder.id, (abort, free) =>
        withLogFields(ids, () => this.#execute(workOrder, task, abort, free)),
      );
      run.done.catch((err: unknown) => log(`work order ${workOrder.id}: ${describeFailure(err)}`));
      await run.free;
    }
  }

  /** The delivery's work order and task, claimed; null when core refused it or the worker is closing. */
  async #claim(delivery: ReceivedMessage) {
    const { api, poller, log } = this.deps;
    try {
      if (this.#stopping) throw this.#stop.signal.reason;
      return await this.#callApi("claim", () =>
        api.claim({
          workerId: this.workerId,
          // The message as received: with its enqueuedAt the claim needs no read first.
          ...delivery.body,
          receiptHandle: delivery.receiptHandle,
          priority: delivery.priority,
        }),
      );
    } catch (err) {
      if (this.#stopping) {
        await poller.release(delivery);
        return null;
      }
      if (classifyFailure(err) !== "refused") throw err;
      // A duplicate delivery or a lost race: core has dealt with the message.
      if (codeOf(err) !== "workOrder.claim_lost")
        log(`claim of ${delivery.body.workOrderId} refused: ${describeFailure(err)}`);
      return null;
    }
  }

  async #beat() {
    // A beat still out (a slow or silent API) is not joined by another: they would pile up.
    if (this.#beating) return;
    this.#beating = true;
    try {
      const { leaseLost, worker } = await this.#callApi(
        "heartbeat",
        () => this.deps.api.heartbeat(this.workerId),
        ONCE,
      );
      // The lease lost is that of the work order the worker held when the beat was read.
      if (leaseLost) this.#runs.leaseLost(worker.currentWorkOrderId);
    } catch (err) {
      if (classifyFailure(err) !== "transient") this.deps.log(`heartbeat refused: ${describeFailure(err)}`);
    } finally {
      this.#beating = false;
    }
  }

  /** Runs the work order; `free` once all that is left is reporting how it ended (a park frees it itself). */
  async #execute(workOrder: WorkOrderInfo, task: TaskInfo, abort: AbortController, free: () => void) {
    const { api, realtime, log } = this.deps;
    // A UUID, so an agent that can choose its own session id (Claude Code) runs under it; a resume keeps it.
    const sessionId = workOrder.resume?.sessionId ?? randomUUID();
    const offSession = realtime.on((event) => {
      const s = event.data as Partial<SessionInfo>;
      if (event.type === "session.updated" && s.sessionId === sessionId && s.status === "terminated")
        abort.abort(new Stop("session-terminated", String(s.terminationReason)));
    });
    // The session's opening, once started: a run stopped from outside reports on its execution.
    let started: Promise<SessionInfo> | undefined;
    try {
      const { signal } = abort;
      const resume = workOrder.resume && (await loadResume(this.deps, task.id, workOrder.resume));
      const opening = this.#callApi(
        "open session",
        () => api.openSession({ sessionId, workerId: this.workerId, taskId: task.id }),
        signal,
      ).then((opened) => {
        log(`working on "${task.title}" (${task.id}) with ${task.agent} in session ${sessionId}`);
        return opened;
      });
      started = opening;
      const { output, report } = await runAgent(
        task,
        this.deps.agents,
        this.deps.workspaces,
        opening,
        {
          signal,
          sessionId,
          resume: resume?.context ?? null,
          // What the agent does through the session waits for it to be open; the agent itself does not.
          progress: async (percent, step) => this.#progress((await opening).executionId ?? "", percent, step),
          ...personLoop(this.deps, { taskId: task.id, opening, abort, parkAfterMs: this.deps.parkAfterMs }),
        },
        resume?.workspace ?? null,
      );
      free();
      const complete = () => api.complete(workOrder.id, output, report);
      if ((await this.#reportEnd("complete", workOrder.id, complete, signal, report, opening)) === "taken")
        log(`completed "${task.title}" (${task.id})`);
    } catch (err) {
      const stop = this.#stop.signal; // A snapshot that cannot be kept fails the work: the agent is gone.
      if (err instanceof RunParked)
        await parkRun(this.deps, workOrder, err, (park) =>
          this.#report("park", workOrder.id, park, stop),
        ).catch((e: unknown) =>
          this.#settle(
            workOrder,
            { reason: new ExecutionFailed(`Could not park: ${describeFailure(e)}`), report: err.report },
            stop,
          ),
        );
      else await this.#settle(workOrder, endingOf(err, abort.signal), abort.signal, free, started);
    } finally {
      offSession();
    }
  }

  /** Progress is advisory: an outage must not fail the work over a progress line. */
  async #progress(executionId: string, percent: number, step: string) {
    try {
      await this.#callApi("progress", () => this.deps.api.progress(executionId, percent, step), ONCE);
    } catch (err) {
      if (classifyFailure(err) !== "transient") throw err;
    }
  }

  /**
   * Reports how a work order ended, retried through an outage so that a result is not lost to a
   * blip, until `signal` aborts (closing, or the work was taken away). `workOrder.invalid_state`
   * means core moved the work order on meanwhile (reaped, or an earlier attempt got through and
   * only its answer was lost): that stands.
   */
  async #report(what: string, workOrderId: string, call: () => Promise<unknown>, signal: AbortSignal) {
    try {
      await this.#callApi(what, call, signal);
      return "taken" as const;
    } catch (err) {
      if (codeOf(err) !== "workOrder.invalid_state") throw err;
      this.deps.log(`${what} ${workOrderId}: core had already moved it on`);
      return "moved-on" as const;
    }
  }

  /**
   * Reports how a run ended (complete, fail). The run can end of its own before the worker hears
   * why core ended its work (a terminated session also closes the run's question, and that may
   * arrive first): the end is then refused, and what the run used follows as a late report.
   */
  async #reportEnd(
    what: "complete" | "fail",
    workOrderId: string,
    call: () => Promise<unknown>,
    signal: AbortSignal,
    report: ExecutionReport | undefined,
    opening?: Promise<{ executionId: string | null }>,
  ) {
    const outcome = await this.#report(what, workOrderId, call, signal);
    if (outcome === "moved-on") await this.#reportUsage(report, opening);
    return outcome;
  }

  /**
   * What a run used, for the execution core ended without it (a terminated session, a takeover, a
   * release, or an end the worker reported too late): sent once the run is over.
   */
  async #reportUsage(report: ExecutionReport | undefined, opening?: Promise<{ executionId: string | null }>) {
    const executionId = report && (await opening?.catch(() => null))?.executionId;
    if (report && executionId)
      await this.#callApi("report usage", () => this.deps.api.lateReport(executionId, report));
  }

  /**
   * Ends a work order whose execution did not complete, as the reason demands, with what the run
   * used. A stop of the worker's own leaves the execution to core (released here on shutdown;
   * ended by core on a terminated session or a takeover): what the run used is sent after.
   */
  async #settle(
    workOrder: WorkOrderInfo,
    { reason, report }: Ending,
    signal: AbortSignal,
    free = () => {},
    opening?: Promise<{ executionId: string | null }>,
  ) {
    const { api, log } = this.deps;
    free();
    try {
      if (reason instanceof Stop) {
        log(`stopped work order ${workOrder.id}: ${reason.why} (${reason.message})`);
        // On shutdown the work goes back; otherwise core has ended it already (a terminated
        // session, a takeover). Either way core ended the execution: what the run used follows.
        if (reason.why === "shutdown")
          await this.#report("release", workOrder.id, () => api.release(workOrder.id), signal);
        await this.#reportUsage(report, opening);
      } else {
        const message = reason instanceof Error ? reason.message : String(reason);
        if (!(reason instanceof ExecutionFailed)) log(`execution error: ${message}`);
        const fail = () => api.fail(workOrder.id, message, report);
        await this.#reportEnd("fail", workOrder.id, fail, signal, report, opening);
      }
    } catch (err) {
      log(`could not settle ${workOrder.id}: ${describeFailure(err)}`);
    }
  }

  /** Idempotent. Each step runs even if an earlier one failed. */
  close() {
    this.#closing ??= (async () => {
      this.#stop.abort(new Error("The worker is closing"));
      const { api, realtime, poller, log } = this.deps;
      await this.#runs.stop(this.deps.stopGraceMs, new Stop("shutdown", "The worker is stopping"));
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
          log(`close: ${name} failed: ${describeFailure(err)}`);
        }
      }
    })();
    return this.#closing;
  }
}
