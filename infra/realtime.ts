import { type StackContext, use, WebSocketApi } from "sst/constructs";
import { functionEnvironment, lambdaRole } from "./access.ts";
import { Queues } from "./queues.ts";
import { settings } from "./settings.ts";
import { Storage } from "./storage.ts";

/** The WebSocket API: $connect (ticket check), $disconnect, $default (ping -> pong reply). */
export function Realtime({ stack, app }: StackContext) {
  const { table } = use(Storage);
  const { queues } = use(Queues);
  // Connection records only: the routes never post to connections themselves.
  const role = lambdaRole(stack, "RealtimeRole", (r) => table.cdk.table.grantReadWriteData(r));
  const route = (name: string) => ({ function: { handler: `functions/src/lambda/ws.${name}`, role } });
  const ws = new WebSocketApi(stack, "Realtime", {
    routes: {
      $connect: route("connect"),
      $disconnect: route("disconnect"),
      $default: { ...route("message"), returnResponse: true },
    },
    accessLog: { retention: settings(app).logRetention },
  });
  // The handlers parse the full environment contract, which names this API's own URLs.
  const environment = functionEnvironment(stack, table, queues, ws);
  for (const key of ws.routes) {
    for (const [name, value] of Object.entries(environment)) ws.getFunction(key)?.addEnvironment(name, value);
  }
  return { ws };
}
