/** Test fixtures for the chat tests (imported by tests only). */
import type { TestCtx } from "../../../test/context.ts";

export const workerStatus = async (ctx: TestCtx, id: string) =>
  (await ctx.db.worker.get({ id }).go()).data?.status;
