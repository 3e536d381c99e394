/**
 * A second view of a test context's table, through a DynamoDB client of its own whose
 * operations are recorded: what a core function costs in round trips, and how another process
 * (with caches of its own) sees the same data. It shares the context's clock, queues and push.
 */

import type { Ctx } from "@agentvine/core/context";
import { createDb } from "@agentvine/core/db/index";
import { awsClientConfig } from "@agentvine/local/aws-local-config";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { inject } from "vitest";
import type { TestCtx } from "./context.ts";
import { entityOf } from "./dynamo-operations.ts";

export interface Op {
  /** The SDK command, e.g. `GetItemCommand`. */
  command: string;
  /** The ElectroDB entity it touched, lower case (`apitoken`, `workorder`), read off its keys. */
  entity: string;
}

interface Gate {
  match: (op: Op) => boolean;
  arrived: () => void;
  open: Promise<void>;
}

export interface Watched<C extends Ctx> {
  ctx: C;
  ops: Op[];
  /**
   * Holds the engine's next answer back from its caller (the next one to an operation `match`
   * picks, if given): `arrived` resolves once it is here, `release` hands it on. Answers after it
   * pass as usual.
   */
  holdNext(match?: (op: Op) => boolean): { arrived: Promise<void>; release: () => void };
}

export const watchedCtx = (base: TestCtx): Watched<TestCtx> => {
  const dynamo = new DynamoDBClient(awsClientConfig(inject("dynamoEndpoint")));
  const table = base.db.task.getTableName();
  if (!table) throw new Error("the test context's table has no name");
  let gate: Gate | null = null;
  const watched: Watched<TestCtx> = {
    ctx: { ...base, db: createDb(dynamo, table) },
    ops: [],
    holdNext(match = () => true) {
      let arrived = () => {};
      let release = () => {};
      const here = new Promise<void>((r) => {
        arrived = r;
      });
      gate = { match, arrived, open: new Promise((r) => (release = r)) };
      return { arrived: here, release };
    },
  };
  dynamo.middlewareStack.add(
    (next, context) => async (args) => {
      const op = {
        command: context.commandName ?? "?",
        entity: entityOf(args.input as Record<string, unknown>),
      };
      watched.ops.push(op);
      const out = await next(args);
      const held = gate?.match(op) ? gate : null;
      if (held) {
        gate = null;
        held.arrived();
        await held.open;
      }
      return out;
    },
    { step: "initialize", name: "watchOperations" },
  );
  return watched;
};

/** The operations on one entity, named in lower case: `apitoken`, `workorder`. */
export const on = (ops: Op[], entity: string) => ops.filter((op) => op.entity === entity);
