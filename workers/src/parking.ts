import { promisify } from "node:util";
import { gunzip, gzip } from "node:zlib";
import type { ExecutionReport } from "@agentvine/core/execution/schema";
import type { BlobPort } from "@agentvine/core/ports/blob";
import type { WorkOrderInfo } from "@agentvine/core/work-order/schema";
import { z } from "zod";
import type { ApiClient } from "./api-client.ts";
import { findAnswer } from "./clarifier.ts";
import { type ExecutionContext, ExecutionFailed } from "./executor.ts";
import type { WorkspaceSnapshot } from "./workspace/index.ts";

const zip = promisify(gzip);
const unzip = promisify(gunzip);

/** A parked run: the executor's state and its checkout's branch. */
export interface RunSnapshot {
  agent: unknown;
  workspace: WorkspaceSnapshot | null;
}

/** What runAgent throws when the agent parked: its snapshot, and the request it waits on. */
export class RunParked extends Error {
  override name = "RunParked";

  constructor(
    readonly requestId: string,
    readonly snapshot: RunSnapshot,
    readonly report?: ExecutionReport,
  ) {
    super(`Parked on request ${requestId}`);
  }
}

/** Where a parked work order's snapshot is kept (core refuses a key outside the task's prefix). */
export const keyOf = (taskId: string, workOrderId: string) => `snapshots/${taskId}/${workOrderId}`;

/** The stored form, versioned: gzip of `{ version: 1, agent, workspace: { branch, baseSha, bundle: base64 } | null }`. */
const Stored = z.object({
  version: z.literal(1),
  agent: z.unknown(),
  workspace: z.object({ branch: z.string(), baseSha: z.string(), bundle: z.base64() }).nullable(),
});

export const packSnapshot = async ({ agent, workspace }: RunSnapshot): Promise<Uint8Array> => {
  const stored: z.infer<typeof Stored> = {
    version: 1,
    agent,
    workspace: workspace && { ...workspace, bundle: Buffer.from(workspace.bundle).toString("base64") },
  };
  return new Uint8Array(await zip(JSON.stringify(stored)));
};

export const unpackSnapshot = async (bytes: Uint8Array): Promise<RunSnapshot> => {
  const { agent, workspace } = Stored.parse(JSON.parse((await unzip(bytes)).toString("utf8")));
  return {
    agent,
    workspace: workspace && { ...workspace, bundle: new Uint8Array(Buffer.from(workspace.bundle, "base64")) },
  };
};

/**
 * The run parked: its snapshot goes to the blob store, then core is told through `report` (the
 * task waits, the session stays parked, the worker is idle) and the worker goes back to claiming.
 */
export const parkRun = async (
  { api, blob, log }: { api: ApiClient; blob: BlobPort; log: (msg: string) => void },
  workOrder: WorkOrderInfo,
  { requestId, snapshot, report: runReport }: RunParked,
  report: (park: () => Promise<unknown>) => Promise<unknown>,
) => {
  const snapshotKey = keyOf(workOrder.taskId, workOrder.id);
  const bytes = await packSnapshot(snapshot);
  await blob.put(snapshotKey, bytes);
  const snapshotBytes = bytes.byteLength;
  await report(() =>
    api.park({ workOrderId: workOrder.id, requestId, snapshotKey, snapshotBytes, report: runReport }),
  );
  log(`parked work order ${workOrder.id} on request ${requestId} (snapshot ${snapshotBytes} bytes)`);
};

/** What a resumed run starts from: its snapshot and the answer it waited for. */
export interface Resume {
  context: NonNullable<ExecutionContext["resume"]>;
  workspace: WorkspaceSnapshot | null;
}

/**
 * The snapshot and the answer of a resume work order. A snapshot or answer that is gone fails
 * the work order: there is nothing left to go on from.
 */
export const loadResume = async (
  { api, blob }: { api: ApiClient; blob: BlobPort },
  taskId: string,
  resume: NonNullable<WorkOrderInfo["resume"]>,
): Promise<Resume> => {
  const [bytes, answer] = await Promise.all([
    blob.get(resume.snapshotKey),
    findAnswer(api, taskId, resume.requestId),
  ]);
  if (!bytes) throw new ExecutionFailed(`The parked run's snapshot ${resume.snapshotKey} is gone`);
  if (!answer) throw new ExecutionFailed(`Request ${resume.requestId} has no answer to resume with`);
  const { agent, workspace } = await unpackSnapshot(bytes);
  return {
    context: { state: agent, answer: { message: answer.message, decision: answer.decision ?? null } },
    workspace,
  };
};
