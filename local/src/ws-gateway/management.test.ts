import type { IncomingMessage } from "node:http";
import {
  DeleteConnectionCommand,
  GetConnectionCommand,
  PostToConnectionCommand,
} from "@aws-sdk/client-apigatewaymanagementapi";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { isLoopback } from "./index.ts";
import { cleanUp, closed, connectClient, nextMessage, startHarness, waitFor } from "./test-harness.ts";

describe("isLoopback", () => {
  it("accepts loopback addresses only", () => {
    for (const a of ["127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1", "0:0:0:0:0:0:0:1", "[::1]"]) {
      expect(isLoopback(a), a).toBe(true);
    }
    for (const a of [
      "10.0.0.1",
      "192.168.1.2",
      "::ffff:10.0.0.1",
      "fe80::1",
      "1.127.0.0",
      "128.0.0.1",
      "",
      undefined,
    ]) {
      expect(isLoopback(a), String(a)).toBe(false);
    }
  });
});

describe("local WebSocket gateway: @connections", () => {
  afterEach(cleanUp);

  it("PostToConnection delivers to the right socket only", async () => {
    const h = await startHarness();
    const a = await connectClient(h);
    const b = await connectClient(h);
    expect(a.connectionId).not.toBe(b.connectionId);
    const received: string[] = [];
    b.ws.on("message", (data) => received.push(String(data)));
    const incoming = nextMessage(a.ws);
    const payload = JSON.stringify({ type: "chat.message", data: { message: "héllo" } });
    await h.client.send(new PostToConnectionCommand({ ConnectionId: a.connectionId, Data: payload }));
    expect(await incoming).toBe(payload);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(received).toEqual([]);

    // What the SDK sent: a URL-encoded id under /@connections/, the raw body, a SigV4 signature.
    const post = h.managementRequests.find((r) => r.method === "POST");
    expect(post?.url).toBe(`/@connections/${encodeURIComponent(a.connectionId)}`);
    expect(post?.headers["content-type"]).toBe("application/octet-stream");
    expect(post?.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=local\//);
  });

  it("accepts a stage-like path prefix on the management endpoint", async () => {
    const h = await startHarness({ endpointPrefix: "/local" });
    const a = await connectClient(h);
    const incoming = nextMessage(a.ws);
    await h.client.send(new PostToConnectionCommand({ ConnectionId: a.connectionId, Data: "hi" }));
    expect(await incoming).toBe("hi");
    expect(h.managementRequests.at(-1)?.url).toBe(
      `/local/@connections/${encodeURIComponent(a.connectionId)}`,
    );
  });

  it("GetConnection returns connectedAt, identity and lastActiveAt", async () => {
    const h = await startHarness();
    const before = Date.now();
    const a = await connectClient(h);
    const out = await h.client.send(new GetConnectionCommand({ ConnectionId: a.connectionId }));
    expect(out.ConnectedAt).toBeInstanceOf(Date);
    expect(out.ConnectedAt?.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(out.ConnectedAt?.getTime()).toBeLessThanOrEqual(Date.now());
    expect(out.LastActiveAt).toBeInstanceOf(Date);
    expect(out.Identity?.SourceIp).toBe("127.0.0.1");
  });

  it("DeleteConnection closes the socket and fires $disconnect once", async () => {
    const h = await startHarness();
    const a = await connectClient(h);
    const b = await connectClient(h);
    const closing = closed(a.ws);
    await h.client.send(new DeleteConnectionCommand({ ConnectionId: a.connectionId }));
    await closing;
    await waitFor(() => h.byRoute("$disconnect").length > 0);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const disconnects = h.byRoute("$disconnect");
    expect(disconnects).toHaveLength(1);
    expect(disconnects[0]?.requestContext).toMatchObject({
      eventType: "DISCONNECT",
      connectionId: a.connectionId,
    });
    expect(h.gateway.connectionCount()).toBe(1);
    expect(b.ws.readyState).toBe(WebSocket.OPEN);

    // Deleting it again: gone.
    await expect(
      h.client.send(new DeleteConnectionCommand({ ConnectionId: a.connectionId })),
    ).rejects.toMatchObject({
      name: "GoneException",
    });
  });

  it("PostToConnection and GetConnection on an unknown or closed id throw GoneException", async () => {
    const h = await startHarness();
    const error = await h.client
      .send(new PostToConnectionCommand({ ConnectionId: "nope+/=", Data: "x" }))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "GoneException", $metadata: { httpStatusCode: 410 } });

    const a = await connectClient(h);
    a.ws.close();
    await waitFor(() => h.byRoute("$disconnect").length > 0);
    await expect(
      h.client.send(new PostToConnectionCommand({ ConnectionId: a.connectionId, Data: "x" })),
    ).rejects.toMatchObject({ name: "GoneException" });
    await expect(
      h.client.send(new GetConnectionCommand({ ConnectionId: a.connectionId })),
    ).rejects.toMatchObject({
      name: "GoneException",
    });
  });

  it("PostToConnection above the frame limit throws PayloadTooLargeException", async () => {
    const h = await startHarness({ maxFrameBytes: 1024 });
    const a = await connectClient(h);
    await expect(
      h.client.send(new PostToConnectionCommand({ ConnectionId: a.connectionId, Data: "x".repeat(2000) })),
    ).rejects.toMatchObject({ name: "PayloadTooLargeException" });
    expect(a.ws.readyState).toBe(WebSocket.OPEN);
  });

  it("refuses @connections requests from non-loopback addresses", async () => {
    const h = await startHarness();
    const fake = {
      url: "/@connections/abc",
      method: "GET",
      socket: { remoteAddress: "10.1.2.3" },
      resume() {},
    } as unknown as IncomingMessage;
    let status = 0;
    const headers: Record<string, string> = {};
    const fakeRes = {
      headersSent: false,
      writeHead(code: number, h: Record<string, string>) {
        status = code;
        Object.assign(headers, h);
        return this;
      },
      end() {
        return this;
      },
    } as unknown as import("node:http").ServerResponse;
    expect(h.gateway.handleManagementRequest(fake, fakeRes)).toBe(true);
    expect(status).toBe(403);
    expect(headers["x-amzn-errortype"]).toBe("ForbiddenException");
    const other = { ...fake, url: "/api/v1/tasks" } as unknown as IncomingMessage;
    expect(h.gateway.handleManagementRequest(other, fakeRes)).toBe(false);
  });
});
