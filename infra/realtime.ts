import { type StackContext, use, WebSocketApi } from "sst/constructs";
import { functionEnvironment, lambdaRole, tableStatement } from "./access.ts";
import { logGroup } from "./logs.ts";
import { Queues } from "./queues.ts";
import { settings } from "./settings.ts";
import { Snapshots } from "./snapshots.ts";
import { Storage } from "./storage.ts";
import { suppress } from "./suppress.ts";

const ROUTES = { $connect: "connect", $disconnect: "disconnect", $default: "message" } as const;

/** The WebSocket API: $connect (ticket check), $disconnect, $default (ping -> pong reply). */
export function Realtime({ stack, app }: StackContext) {
  const { table } = use(Storage);
  const { queues } = use(Queues);
  const { bucket: snapshots } = use(Snapshots);
  const { logRetention, runtime } = settings(app);
  const logs = Object.fromEntries(
    Object.values(ROUTES).map((name) => [name, logGroup(stack, `ws-${name}-logs`)]),
  );
  // Connection records only: the routes never post to connections themselves.
  const role = lambdaRole(stack, "RealtimeRole", Object.values(logs), (r) =>
    r.addToPolicy(tableStatement(table)),
  );
  const route = (name: (typeof ROUTES)[keyof typeof ROUTES]) => ({
    function: { handler: `functions/src/lambda/ws.${name}`, role, logGroup: logs[name] },
  });
  const ws = new WebSocketApi(stack, "Realtime", {
    routes: {
      $connect: route(ROUTES.$connect),
      $disconnect: route(ROUTES.$disconnect),
      $default: { ...route(ROUTES.$default), returnResponse: true },
    },
    accessLog: { retention: logRetention },
  });
  // The handlers parse the full environment contract, which names this API's own URLs.
  const environment = functionEnvironment(stack, { table, queues, ws, snapshots }, runtime);
  for (const key of ws.routes) {
    for (const [name, value] of Object.entries(environment)) ws.getFunction(key)?.addEnvironment(name, value);
  }
  suppress(
    ws,
    [
      {
        id: "AwsSolutions-APIG4",
        reason:
          "$connect accepts only a single-use ticket from the authenticated POST /api/v1/ws-ticket (checked by its handler); $disconnect and $default exist only on connections $connect accepted.",
      },
    ],
    true,
  );
  return { ws };
}
