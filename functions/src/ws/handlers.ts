import type { Ctx } from "@agentvine/core/context";
import type { ErrorBody } from "@agentvine/core/errors";
import * as Realtime from "@agentvine/core/realtime/service";
import type { APIGatewayProxyWebsocketEventV2 } from "aws-lambda";

/** API Gateway's $connect event carries the query string too (its V2 type leaves it out). */
export type WsEvent = APIGatewayProxyWebsocketEventV2 & {
  queryStringParameters?: Record<string, string | undefined>;
};

/** The REST API's error body, so a client reads a refused socket the way it reads any error. */
const refused = JSON.stringify({
  error: {
    code: "auth.invalid_ticket",
    message: "Missing, used or expired ticket: get one from POST /api/v1/ws-ticket",
    details: {},
  },
} satisfies ErrorBody);

/** The WebSocket API's three routes, as API Gateway (or the local gateway) invokes them. */
export const wsHandlers = (ctx: Ctx) => ({
  async connect(event: WsEvent) {
    const actor = await Realtime.connect(
      ctx,
      event.requestContext.connectionId,
      event.queryStringParameters?.ticket,
    );
    return actor ? { statusCode: 200 } : { statusCode: 401, body: refused };
  },
  async disconnect(event: WsEvent) {
    await Realtime.disconnect(ctx, event.requestContext.connectionId);
    return { statusCode: 200 };
  },
  async message(event: WsEvent) {
    const reply = Realtime.onMessage(event.body);
    return reply ? { statusCode: 200, body: JSON.stringify(reply) } : { statusCode: 200 };
  },
});
