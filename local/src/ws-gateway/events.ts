/** The events API Gateway's WebSocket API gives its Lambda handlers, built from Node's requests. */
import { randomBytes, randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type {
  APIGatewayEventWebsocketRequestContextV2,
  APIGatewayProxyResultV2,
  APIGatewayProxyWebsocketEventV2,
} from "aws-lambda";

export interface WsRequestContext extends APIGatewayEventWebsocketRequestContextV2 {
  identity: { sourceIp: string; userAgent?: string };
  /** `$disconnect` only: the WebSocket close code and reason. */
  disconnectStatusCode?: number;
  disconnectReason?: string;
}

/** The event a handler receives: API Gateway's WebSocket proxy event, with what the real one also carries. */
export type WsEvent = APIGatewayProxyWebsocketEventV2 & {
  requestContext: WsRequestContext;
  /** `$connect` / `$disconnect`: the request's headers (names as the client sent them). */
  headers?: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
  /** `$connect`: absent when the URL has no query string. */
  queryStringParameters?: Record<string, string>;
  multiValueQueryStringParameters?: Record<string, string[]>;
};

/**
 * A Lambda-style handler. Like API Gateway's Lambda proxy integration it may return a
 * `{ statusCode, body }` object or a string (= 200 with that body).
 */
export type WsHandler = (event: WsEvent) => Promise<APIGatewayProxyResultV2 | undefined>;

/** What every event of one connection repeats: fixed when `$connect` arrives. */
export interface ConnectionInfo {
  id: string;
  connectedAt: number;
  domainName: string;
  sourceIp: string;
  userAgent: string | undefined;
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]>;
}

/** API Gateway's `requestTime` format: "09/Apr/2015:12:34:56 +0000". */
function requestTime(ms: number): string {
  const d = new Date(ms);
  const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:${two(d.getUTCHours())}:${two(
    d.getUTCMinutes(),
  )}:${two(d.getUTCSeconds())} +0000`;
}

function normaliseIp(address: string | undefined): string {
  if (!address) return "";
  return address.startsWith("::ffff:") && address.includes(".") ? address.slice("::ffff:".length) : address;
}

function headersOf(req: IncomingMessage): Pick<ConnectionInfo, "headers" | "multiValueHeaders"> {
  const multiValueHeaders: Record<string, string[]> = {};
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] as string;
    const value = raw[i + 1] as string;
    const existing = Object.keys(multiValueHeaders).find((k) => k.toLowerCase() === name.toLowerCase());
    if (existing) multiValueHeaders[existing]?.push(value);
    else multiValueHeaders[name] = [value];
  }
  const headers: Record<string, string> = {};
  for (const [name, values] of Object.entries(multiValueHeaders)) headers[name] = values.join(",");
  return { headers, multiValueHeaders };
}

function queryOf(url: URL): {
  queryStringParameters?: Record<string, string>;
  multiValueQueryStringParameters?: Record<string, string[]>;
} {
  const keys = [...new Set(url.searchParams.keys())];
  if (keys.length === 0) return {};
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const key of keys) {
    const values = url.searchParams.getAll(key);
    multi[key] = values;
    single[key] = values[values.length - 1] ?? "";
  }
  return { queryStringParameters: single, multiValueQueryStringParameters: multi };
}

/** Normalises a Lambda proxy result the way API Gateway does. */
export function resultOf(result: APIGatewayProxyResultV2 | undefined): {
  statusCode: number;
  body: string | undefined;
  isBase64Encoded: boolean;
} {
  if (typeof result === "string") return { statusCode: 200, body: result, isBase64Encoded: false };
  if (result === undefined || result === null)
    return { statusCode: 200, body: undefined, isBase64Encoded: false };
  return {
    statusCode: result.statusCode ?? 200,
    body: result.body,
    isBase64Encoded: result.isBase64Encoded === true,
  };
}

/** The three kinds of event, stamped with `stage` and the time from `now`. */
export const eventBuilder = (stage: string, now: () => number) => {
  const context = (
    routeKey: string,
    eventType: WsRequestContext["eventType"],
    conn: ConnectionInfo,
  ): WsRequestContext => {
    const t = now();
    return {
      routeKey,
      eventType,
      messageId: randomBytes(10).toString("base64"),
      extendedRequestId: randomBytes(10).toString("base64"),
      requestTime: requestTime(t),
      messageDirection: "IN",
      stage,
      connectedAt: conn.connectedAt,
      requestTimeEpoch: t,
      requestId: randomUUID(),
      domainName: conn.domainName,
      connectionId: conn.id,
      apiId: "local",
      identity:
        conn.userAgent === undefined
          ? { sourceIp: conn.sourceIp }
          : { sourceIp: conn.sourceIp, userAgent: conn.userAgent },
    };
  };

  return {
    /** The connection as `$connect` sees it, from the upgrade request. */
    connectionOf(req: IncomingMessage, id: string): ConnectionInfo {
      return {
        id,
        connectedAt: now(),
        domainName: req.headers.host ?? "localhost",
        sourceIp: normaliseIp(req.socket.remoteAddress),
        userAgent: req.headers["user-agent"],
        ...headersOf(req),
      };
    },
    connect(conn: ConnectionInfo, url: URL): WsEvent {
      return {
        requestContext: context("$connect", "CONNECT", conn),
        headers: conn.headers,
        multiValueHeaders: conn.multiValueHeaders,
        ...queryOf(url),
        isBase64Encoded: false,
      };
    },
    message(conn: ConnectionInfo, data: Buffer, isBinary: boolean): WsEvent {
      return {
        requestContext: context("$default", "MESSAGE", conn),
        body: isBinary ? data.toString("base64") : data.toString("utf8"),
        isBase64Encoded: isBinary,
      };
    },
    disconnect(conn: ConnectionInfo, code: number, reason: string): WsEvent {
      const requestContext = context("$disconnect", "DISCONNECT", conn);
      requestContext.disconnectStatusCode = code;
      requestContext.disconnectReason = reason;
      return {
        requestContext,
        headers: conn.headers,
        multiValueHeaders: conn.multiValueHeaders,
        isBase64Encoded: false,
      };
    },
  };
};

export type EventBuilder = ReturnType<typeof eventBuilder>;
