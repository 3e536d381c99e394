import swaggerUiDist from "swagger-ui-dist/package.json" with { type: "json" };
import { describe, expect, it } from "vitest";
import { expectError, expectInvalid, useApiHarness } from "../../../test/api.ts";
import { SWAGGER_UI_VERSION } from "./app.ts";

/** Every endpoint the spec (§4) names, plus the ones users of such a system expect. */
const ENDPOINTS: [string, string][] = [
  ["post", "/api/v1/tasks"],
  ["get", "/api/v1/tasks"],
  ["get", "/api/v1/tasks/{id}"],
  ["patch", "/api/v1/tasks/{id}"],
  ["get", "/api/v1/tasks/{id}/executions"],
  ["get", "/api/v1/tasks/{id}/history"],
  ["post", "/api/v1/workers"],
  ["get", "/api/v1/workers"],
  ["get", "/api/v1/workers/{id}"],
  ["delete", "/api/v1/workers/{id}"],
  ["post", "/api/v1/workers/{id}/heartbeat"],
  ["post", "/api/v1/queue/enqueue"],
  ["post", "/api/v1/queue/claim"],
  ["post", "/api/v1/queue/complete"],
  ["post", "/api/v1/queue/fail"],
  ["get", "/api/v1/queue/status"],
  ["post", "/api/v1/sessions"],
  ["get", "/api/v1/sessions"],
  ["get", "/api/v1/sessions/{id}"],
  ["delete", "/api/v1/sessions/{id}"],
  ["post", "/api/v1/sessions/{id}/heartbeat"],
  ["get", "/api/v1/chat/messages"],
  ["post", "/api/v1/chat/messages"],
  ["get", "/api/v1/chat/pending"],
  ["post", "/api/v1/ws-ticket"],
  ["get", "/api/v1/workers-scale"],
  ["put", "/api/v1/workers-scale"],
  ["get", "/api/v1/activity"],
];

/** Resolves a local JSON pointer ("#/components/schemas/X") in a document. */
const resolve = (doc: unknown, ref: string): unknown =>
  ref
    .replace(/^#\//, "")
    .split("/")
    .map((part) => part.replaceAll("~1", "/").replaceAll("~0", "~"))
    .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], doc);

const refsIn = (node: unknown, found: string[] = []): string[] => {
  if (Array.isArray(node)) for (const item of node) refsIn(item, found);
  else if (node && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string") found.push(value);
      else refsIn(value, found);
    }
  }
  return found;
};

describe("system endpoints", () => {
  const h = useApiHarness("api-system");

  it("GET /healthz answers without a token", async () => {
    const res = await h.call("GET", "/healthz");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true });
  });

  it("GET /openapi.json is an OpenAPI 3.1 document listing every /api/v1 endpoint", async () => {
    const res = await h.call("GET", "/openapi.json");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    const doc = res.body;
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    expect(doc.components.securitySchemes.bearer).toEqual({ type: "http", scheme: "bearer" });

    const listed = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, item]) => Object.keys(item).map((method) => `${method} ${path}`),
    );
    for (const [method, path] of ENDPOINTS) expect(listed).toContain(`${method} ${path}`);
    for (const path of Object.keys(doc.paths)) expect(path.startsWith("/api/v1/")).toBe(true);

    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, any>>)) {
      const params = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const [method, op] of Object.entries(item)) {
        const where = `${method} ${path}`;
        const codes = Object.keys(op.responses ?? {});
        expect(
          codes.some((c) => c.startsWith("2")),
          where,
        ).toBe(true);
        for (const code of ["401", "403"]) expect(codes, where).toContain(code);
        expect(op.security, where).toEqual([{ bearer: [] }]);
        const declared = (op.parameters ?? [])
          .filter((p: { in: string }) => p.in === "path")
          .map((p: { name: string; required: boolean }) => {
            expect(p.required, where).toBe(true);
            return p.name;
          });
        expect(declared.sort(), where).toEqual([...params].sort());
        if (["post", "put", "patch"].includes(method) && op.requestBody) {
          expect(op.requestBody.content["application/json"].schema, where).toBeDefined();
        }
      }
    }
    // The task body documents its enums and the required title.
    const createTask = doc.paths["/api/v1/tasks"].post.requestBody.content["application/json"].schema;
    const schema = createTask.$ref ? resolve(doc, createTask.$ref) : createTask;
    expect(schema).toMatchObject({
      required: expect.arrayContaining(["title"]),
      properties: { priority: { enum: ["high", "normal", "low"] } },
    });
    // Every $ref points at something in the document.
    for (const ref of refsIn(doc)) {
      expect(ref.startsWith("#/"), ref).toBe(true);
      expect(resolve(doc, ref), ref).toBeDefined();
    }
  });

  it("GET /docs serves the interactive documentation", async () => {
    const res = await h.call("GET", "/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(res.body).toContain("swagger-ui");
    expect(res.body).toContain("/openapi.json");
    // On AWS, Swagger UI comes from the CDN at the version the lockfile installs, never "latest".
    expect(SWAGGER_UI_VERSION).toBe(swaggerUiDist.version);
    expect(res.body).toContain(
      `https://cdn.jsdelivr.net/npm/swagger-ui-dist@${SWAGGER_UI_VERSION}/swagger-ui-bundle.js`,
    );
  });

  it("POST /ws-ticket gives a one-use ticket on the socket URL", async () => {
    const w = await h.registerWorker("socketeer");
    const tickets = new Set<string>();
    for (const token of [h.tokens.admin, h.tokens.operator, h.tokens.viewer, w.token]) {
      const res = await h.call("POST", "/api/v1/ws-ticket", token);
      expect(res.status).toBe(201);
      expect(res.body.ticket).toMatch(/^avs_/);
      const url = new URL(res.body.url);
      expect(url.protocol).toBe("ws:");
      expect(url.pathname).toBe("/api/v1/chat/ws");
      expect(url.searchParams.get("ticket")).toBe(res.body.ticket);
      tickets.add(res.body.ticket);
    }
    expect(tickets.size).toBe(4);
    expectError(await h.call("POST", "/api/v1/ws-ticket"), 401, "auth.missing_token");
    expectError(await h.call("POST", "/api/v1/ws-ticket", "avt_nope"), 401, "auth.invalid_token");
    expectError(await h.call("POST", "/api/v1/ws-ticket", h.tokens.enrolment), 403);
  });

  it("GET/PUT /workers-scale: the desired worker count", async () => {
    const get = await h.call("GET", "/api/v1/workers-scale", h.tokens.viewer);
    expect(get.status).toBe(200);
    expect(get.body).toEqual({ desired: 0, running: 0 });

    const put = await h.call("PUT", "/api/v1/workers-scale", h.tokens.operator, { desired: 3 });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ desired: 3, running: 3 });
    expect((await h.call("GET", "/api/v1/workers-scale", h.tokens.viewer)).body.desired).toBe(3);
    expect((await h.call("PUT", "/api/v1/workers-scale", h.tokens.admin, { desired: 0 })).body.desired).toBe(
      0,
    );

    for (const body of [{}, { desired: -1 }, { desired: 101 }, { desired: 1.5 }, { desired: "3" }]) {
      expectInvalid(await h.call("PUT", "/api/v1/workers-scale", h.tokens.operator, body), "desired");
    }
    expectInvalid(await h.call("PUT", "/api/v1/workers-scale", h.tokens.operator, "{"), "body");
    const w = await h.registerWorker("scaler");
    expectError(
      await h.call("PUT", "/api/v1/workers-scale", h.tokens.viewer, { desired: 5 }),
      403,
      "auth.forbidden",
    );
    expectError(await h.call("PUT", "/api/v1/workers-scale", w.token, { desired: 5 }), 403, "auth.forbidden");
    expectError(await h.call("PUT", "/api/v1/workers-scale", undefined, { desired: 5 }), 401);
    expectError(await h.call("GET", "/api/v1/workers-scale"), 401);
    expect((await h.call("GET", "/api/v1/workers-scale", h.tokens.viewer)).body.desired).toBe(0);
  });

  it("GET /activity: the timeline, newest first, paginated", async () => {
    h.ctx.clock.advance(1000);
    const { body: task } = await h.call("POST", "/api/v1/tasks", h.tokens.operator, { title: "Timeline" });
    h.ctx.clock.advance(1000);
    await h.call("PUT", "/api/v1/workers-scale", h.tokens.operator, { desired: 2 });
    const res = await h.call("GET", "/api/v1/activity", h.tokens.viewer);
    expect(res.status).toBe(200);
    expect(res.body.items[0]).toMatchObject({
      type: "workers.scaled",
      summary: "Olivia operator set the worker count to 2",
    });
    expect(res.body.items[1]).toMatchObject({ type: "task.created", taskId: task.id });
    const times = res.body.items.map((a: { createdAt: string }) => a.createdAt);
    expect([...times].sort().reverse()).toEqual(times);

    const page = await h.call("GET", "/api/v1/activity?limit=1", h.tokens.viewer);
    expect(page.body.items).toHaveLength(1);
    const next = await h.call(
      "GET",
      `/api/v1/activity?limit=1&cursor=${encodeURIComponent(page.body.nextCursor)}`,
      h.tokens.viewer,
    );
    expect(next.body.items[0].id).toBe(res.body.items[1].id);

    expectInvalid(await h.call("GET", "/api/v1/activity?limit=-2", h.tokens.viewer), "limit");
    expectInvalid(await h.call("GET", "/api/v1/activity?cursor=%%%", h.tokens.viewer), "cursor");
    expectError(await h.call("GET", "/api/v1/activity"), 401);
  });

  it("bodies: 415 for a non-JSON content type, 413 above the size limit, in the error shape", async () => {
    const post = (headers: Record<string, string>, body: string) =>
      h.app.request("/api/v1/tasks", {
        method: "POST",
        headers: { authorization: `Bearer ${h.tokens.operator}`, ...headers },
        body,
      });
    const plain = await post({ "content-type": "text/plain" }, JSON.stringify({ title: "x" }));
    expect(plain.status).toBe(415);
    expect(((await plain.json()) as { error: { code: string } }).error.code).toBe("unsupported_media_type");
    const none = await post({}, JSON.stringify({ title: "x" }));
    expect(none.status).toBe(415);
    const charset = await post(
      { "content-type": "application/json; charset=utf-8" },
      JSON.stringify({ title: "x" }),
    );
    expect(charset.status).toBe(201);

    const before = (await h.call("GET", "/api/v1/tasks?limit=100", h.tokens.viewer)).body.items.length;
    const huge = await post(
      { "content-type": "application/json" },
      JSON.stringify({ title: "big", description: "d".repeat(7 * 1024 * 1024) }),
    );
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as { error: unknown }).error).toMatchObject({
      code: "payload_too_large",
      details: { maxBytes: 6291456 },
    });
    expect((await h.call("GET", "/api/v1/tasks?limit=100", h.tokens.viewer)).body.items.length).toBe(before);
  });

  it("unknown routes: 401 without a token, 404 in the error shape with one", async () => {
    expectError(await h.call("GET", "/api/v1/nope"), 401);
    expectError(await h.call("GET", "/api/v1/nope", h.tokens.viewer), 404, "not_found");
    expectError(await h.call("GET", "/nope"), 404, "not_found");
  });
});
