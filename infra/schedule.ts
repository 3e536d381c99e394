import { Cron, type StackContext, use } from "sst/constructs";
import {
  functionEnvironment,
  lambdaRole,
  manageConnectionsStatement,
  QUEUE_ACCESS,
  queueStatements,
} from "./access.ts";
import { Queues } from "./queues.ts";
import { Realtime } from "./realtime.ts";
import { Storage } from "./storage.ts";

/** EventBridge, every minute: the session reaper, offline detection, the queue reconciler, stats. */
export function Schedule({ stack }: StackContext) {
  const { table } = use(Storage);
  const { queues } = use(Queues);
  const { ws } = use(Realtime);
  const role = lambdaRole(stack, "ScheduledRole", (r) => {
    table.cdk.table.grantReadWriteData(r);
    for (const statement of queueStatements(queues, QUEUE_ACCESS.scheduled)) r.addToPolicy(statement);
    r.addToPolicy(manageConnectionsStatement(ws));
  });
  const tick = new Cron(stack, "Tick", {
    schedule: "rate(1 minute)",
    job: {
      function: {
        handler: "functions/src/lambda/scheduled.handler",
        role,
        // Finish before the next tick starts.
        timeout: "55 seconds",
        environment: functionEnvironment(stack, table, queues, ws),
      },
    },
  });
  return { tick };
}
