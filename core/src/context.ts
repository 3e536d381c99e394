import type { Clock } from "./clock.ts";
import type { Config } from "./config.ts";
import type { Db } from "./db/index.ts";
import type { BlobPort } from "./ports/blob.ts";
import type { PushPort } from "./ports/push.ts";
import type { QueuePort } from "./ports/queue.ts";
import type { ScalerPort } from "./ports/scaler.ts";

/**
 * Everything a core function needs from the outside world, passed explicitly: handlers build
 * one per process from AWS clients, the local runtime from local engines, tests from theirs.
 */
export interface Ctx {
  db: Db;
  queue: QueuePort;
  push: PushPort;
  scaler: ScalerPort;
  /** Parked runs' snapshots: core deletes those of runs that will never resume. */
  blob: BlobPort;
  clock: Clock;
  config: Config;
  /**
   * Takes work that runs after the answer (see after.ts). Absent: such work is awaited inline.
   * Handlers on Lambda must await what it was given before returning: a frozen runtime would
   * otherwise stop it halfway.
   */
  after?: (work: Promise<void>) => void;
}

/** Who is acting: resolved from a token by auth, passed to every core function that changes state. */
export interface Actor {
  role: "admin" | "operator" | "viewer" | "worker" | "enrolment";
  /** The worker's id for workers, the token's id for people. */
  principalId: string;
  name: string;
}

export const isHuman = (actor: Actor) => actor.role !== "worker" && actor.role !== "enrolment";
