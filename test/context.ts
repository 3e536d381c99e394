/**
 * A core context on the real local engines (a fresh table and queue set per call), with a
 * controllable clock. Pushes go to a recording PushPort (a port stand-in, not an SDK mock);
 * the realtime tests use the real gateway and management client instead.
 */

import { randomUUID } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fsBlob } from "@agentvine/core/adapters/fs-blob";
import { sqsQueue } from "@agentvine/core/adapters/sqs-queue";
import { ManualClock } from "@agentvine/core/clock";
import { type Config, defaultConfig } from "@agentvine/core/config";
import type { Actor, Ctx } from "@agentvine/core/context";
import { createDb } from "@agentvine/core/db/index";
import type { PushPort } from "@agentvine/core/ports/push";
import type { ScalerPort } from "@agentvine/core/ports/scaler";
import * as Worker from "@agentvine/core/worker/service";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { freshResources } from "./engines.ts";

export interface TestCtx extends Ctx {
  clock: ManualClock;
  pushed: { connectionId: string; event: { type: string; data: unknown } }[];
  /** The DynamoDB client under `db`, for tests that watch the operations a path makes. */
  dynamo: DynamoDBClient;
}

export const recordingPush = (pushed: TestCtx["pushed"]): PushPort => ({
  async post(connectionId, data) {
    pushed.push({ connectionId, event: JSON.parse(data) });
    return "sent";
  },
});

export const memoryScaler = (): ScalerPort => {
  let desired = 0;
  return {
    get: async () => ({ desired, running: desired }),
    setDesired: async (n) => {
      desired = n;
    },
  };
};

/** A blob store in a folder of its own, made only once something is put there. */
export const tempBlob = () => fsBlob(join(tmpdir(), `agentvine-blobs-${randomUUID()}`));

export const testCtx = async (name: string, config: Partial<Config> = {}): Promise<TestCtx> => {
  const r = await freshResources(name);
  const pushed: TestCtx["pushed"] = [];
  return {
    db: createDb(r.dynamo, r.tableName),
    queue: sqsQueue(r.sqs, r.queueUrls),
    push: recordingPush(pushed),
    scaler: memoryScaler(),
    blob: tempBlob(),
    clock: new ManualClock(Date.now()),
    config: { ...defaultConfig(), ...config },
    pushed,
    dynamo: r.dynamo,
  };
};

export const operator: Actor = { role: "operator", principalId: "op-1", name: "Olivia" };

/** Registers a worker and returns the actor it acts as. */
export const workerActor = async (ctx: Ctx, name = "w") => {
  const { worker } = await Worker.register(ctx, { name });
  return { role: "worker", principalId: worker.id, name } satisfies Actor;
};
