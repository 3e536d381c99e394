import { log } from "@agentvine/core/log";
import { awsContext } from "../aws-context.ts";
import { tick } from "../scheduled/tick.ts";

const { ctx } = awsContext();

/** The EventBridge schedule's target: reaper, offline detection, reconciler, stats. */
export const handler = async () => {
  const results = await tick(ctx);
  log.info({ scheduled: results }, "scheduled tick");
  return results;
};
