import { awsContext } from "../aws-context.ts";
import { type WsEvent, wsHandlers } from "../ws/handlers.ts";

const routes = wsHandlers(awsContext().ctx);

/** API Gateway WebSocket routes: $connect, $disconnect, $default. */
export const connect = (event: WsEvent) => routes.connect(event);
export const disconnect = (event: WsEvent) => routes.disconnect(event);
export const message = (event: WsEvent) => routes.message(event);
