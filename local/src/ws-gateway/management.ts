/**
 * The `@connections` management endpoint (POST/GET/DELETE `[/prefix]/@connections/{id}`) the
 * way `@aws-sdk/client-apigatewaymanagementapi` calls it. Unknown or closed connections answer
 * 410 with `x-amzn-errortype: GoneException`.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Connections, ErrorReporter } from "./connections.ts";

const CONNECTIONS_PATH = /^((?:\/[^/]+)*)\/@connections\/([^/]+)\/?$/;

/** True for IPv4 127.0.0.0/8 and IPv6 ::1, also in IPv4-mapped form (::ffff:127.x.x.x). */
export function isLoopback(address: string | undefined | null): boolean {
  if (!address) return false;
  let a = address.trim().toLowerCase();
  if (a.startsWith("[") && a.endsWith("]")) a = a.slice(1, -1);
  const zone = a.indexOf("%");
  if (zone >= 0) a = a.slice(0, zone);
  if (a === "::1" || a === "0:0:0:0:0:0:0:1") return true;
  for (const prefix of ["::ffff:", "0:0:0:0:0:ffff:"]) {
    if (a.startsWith(prefix)) {
      a = a.slice(prefix.length);
      break;
    }
  }
  const parts = a.split(".");
  if (parts.length !== 4) return false;
  if (!parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return false;
  return parts[0] === "127";
}

const sendJson = (
  res: ServerResponse,
  statusCode: number,
  body: unknown,
  errorType?: string,
  extraHeaders: Record<string, string> = {},
) => {
  const headers: Record<string, string> = { "x-amzn-requestid": randomUUID(), ...extraHeaders };
  if (errorType) headers["x-amzn-errortype"] = errorType;
  if (body === undefined) {
    res.writeHead(statusCode, headers).end();
    return;
  }
  const text = JSON.stringify(body);
  headers["content-type"] = "application/json";
  headers["content-length"] = String(Buffer.byteLength(text));
  res.writeHead(statusCode, headers).end(text);
};
const gone = (res: ServerResponse) => sendJson(res, 410, { message: "Gone" }, "GoneException");

const readBody = (req: IncomingMessage, limit: number): Promise<Buffer | "too-large"> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on("end", () => resolve(tooLarge ? "too-large" : Buffer.concat(chunks)));
    req.on("error", reject);
  });

export interface ManagementOptions {
  connections: Connections;
  maxFrameBytes: number;
  reportError: ErrorReporter;
}

/** A request listener for the endpoint; returns false for requests that are not for it. */
export const managementEndpoint = ({ connections, maxFrameBytes, reportError }: ManagementOptions) => {
  const handle = async (req: IncomingMessage, res: ServerResponse, id: string) => {
    switch (req.method) {
      case "POST": {
        const body = await readBody(req, maxFrameBytes);
        if (body === "too-large") {
          sendJson(res, 413, { message: "Request entity too large" }, "PayloadTooLargeException");
          return;
        }
        if ((await connections.post(id, body.toString("utf8"))) === "gone") gone(res);
        else sendJson(res, 200, undefined);
        return;
      }
      case "GET": {
        req.resume();
        const conn = connections.addressable(id);
        if (!conn) {
          gone(res);
          return;
        }
        const identity: { sourceIp: string; userAgent?: string } = { sourceIp: conn.sourceIp };
        if (conn.userAgent !== undefined) identity.userAgent = conn.userAgent;
        sendJson(res, 200, {
          connectedAt: new Date(conn.connectedAt).toISOString(),
          identity,
          lastActiveAt: new Date(conn.lastActiveAt).toISOString(),
        });
        return;
      }
      case "DELETE": {
        req.resume();
        const conn = connections.addressable(id);
        if (!conn) {
          gone(res);
          return;
        }
        connections.close(conn, 1000, "");
        sendJson(res, 204, undefined);
        return;
      }
      default:
        req.resume();
        sendJson(res, 405, { message: `Method ${req.method} not allowed` }, undefined, {
          allow: "GET, POST, DELETE",
        });
    }
  };

  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const pathname = (req.url ?? "").split("?")[0] ?? "";
    const match = CONNECTIONS_PATH.exec(pathname);
    if (!match) return false;
    if (!isLoopback(req.socket.remoteAddress)) {
      req.resume();
      sendJson(res, 403, { message: "Forbidden" }, "ForbiddenException");
      return true;
    }
    let id: string;
    try {
      id = decodeURIComponent(match[2] ?? "");
    } catch {
      req.resume();
      gone(res);
      return true;
    }
    handle(req, res, id).catch((error: unknown) => {
      reportError(error, { routeKey: "@connections", connectionId: id });
      if (!res.headersSent) sendJson(res, 500, { message: "Internal server error" }, "InternalServerError");
      else res.destroy();
    });
    return true;
  };
};
