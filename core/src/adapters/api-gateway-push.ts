import {
  type ApiGatewayManagementApiClient,
  PostToConnectionCommand,
} from "@aws-sdk/client-apigatewaymanagementapi";
import type { PushPort } from "../ports/push.ts";

/** The push port on API Gateway's @connections API; the local gateway serves the same API. */
export const apiGatewayPush = (client: ApiGatewayManagementApiClient): PushPort => ({
  async post(connectionId, data) {
    try {
      await client.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: data }));
      return "sent";
    } catch (err) {
      if ((err as Error).name === "GoneException") return "gone";
      throw err;
    }
  },
});
