import { Cron, type StackContext, use } from "sst/constructs";
import {
  allowManageConnections,
  functionEnvironment,
  lambdaRole,
  QUEUE_ACCESS,
  queueStatements,
  tableStatement,
} from "./access.ts";
import { logGroup } from "./logs.ts";
import { Queues } from "./queues.ts";
import { Realtime } from "./realtime.ts";
import { settings } from "./settings.ts";
import { Storage } from "./storage.ts";

/** EventBridge, every minute: the session reaper, offline detection, the queue reconciler, stats. */
export function Schedule({ stack, app }: StackContext) {
  const { table } = use(Storage);
  const { queues } = use(Queues);
  const { ws } = use(Realtime);
  const logs = logGroup(stack, "ScheduledLogs");
  const role = lambdaRole(stack, "ScheduledRole", [logs], (r) => {
    r.addToPolicy(tableStatement(table));
    for (const statement of queueStatements(queues, QUEUE_ACCESS.scheduled)) r.addToPolicy(statement);
    allowManageConnections(r, ws);
  });
  const tick = new Cron(stack, "Tick", {
    schedule: "rate(1 minute)",
    job: {
      function: {
        handler: "functions/src/lambda/scheduled.handler",
        role,
        logGroup: logs,
        // Finish before the next tick starts.
        timeout: "55 seconds",
        environment: functionEnvironment(stack, table, queues, ws, settings(app).runtime),
      },
    },
  });
  return { tick };
}
