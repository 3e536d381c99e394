import { describe, expect, it } from "vitest";
import { ApiError, createApiClient, readError, unwrap } from "./index.ts";

const json = (status: number, body: unknown, statusText = "") =>
  new Response(JSON.stringify(body), { status, statusText, headers: { "content-type": "application/json" } });

describe("readError", () => {
  it("reads the API's error body: code, message and details", () => {
    const body = {
      error: {
        code: "validation_failed",
        message: "Invalid request body: title: title is required",
        details: { fields: { title: "title is required" } },
      },
    };
    const err = readError(json(400, body), body);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 400, code: "validation_failed", message: body.error.message });
    expect(err.details).toEqual({ fields: { title: "title is required" } });
    expect(err.fields).toEqual({ title: "title is required" });
    expect(err.unreachable).toBe(false);
  });

  it("still gives an error with a code for a body that is not the API's (a proxy's page)", () => {
    const err = readError(
      new Response("<html>bad gateway</html>", { status: 502, statusText: "Bad Gateway" }),
      "<html>bad gateway</html>",
    );
    expect(err).toMatchObject({ status: 502, code: "http_502", message: "502 Bad Gateway", details: {} });
    expect(err.fields).toEqual({});
  });
});

describe("the REST client", () => {
  it("sends the current token and returns the data of a success", async () => {
    const seen: Request[] = [];
    let token = "first";
    const api = createApiClient({
      baseUrl: "http://api.test",
      token: () => token,
      fetch: async (request) => {
        seen.push(request);
        return json(200, { ok: true });
      },
    });
    await unwrap(api.GET("/api/v1/queue/status"));
    token = "second";
    await unwrap(api.GET("/api/v1/queue/status"));
    expect(seen.map((r) => [r.url, r.headers.get("authorization")])).toEqual([
      ["http://api.test/api/v1/queue/status", "Bearer first"],
      ["http://api.test/api/v1/queue/status", "Bearer second"],
    ]);
  });

  it("turns a non-2xx answer into an ApiError through the one reader", async () => {
    const api = createApiClient({
      baseUrl: "http://api.test",
      fetch: async () =>
        json(409, {
          error: {
            code: "workOrder.claim_lost",
            message: "already claimed",
            details: { workOrderId: "wo1" },
          },
        }),
    });
    const err = await unwrap(
      api.POST("/api/v1/queue/claim", { body: { workerId: "w1", workOrderId: "wo1" } }),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 409, code: "workOrder.claim_lost", details: { workOrderId: "wo1" } });
  });

  it("reports an API that does not answer as unreachable (status 0)", async () => {
    const api = createApiClient({
      baseUrl: "http://api.test",
      fetch: async () => {
        throw new TypeError("fetch failed");
      },
    });
    const err = await unwrap(api.GET("/api/v1/queue/status")).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 0, code: "unreachable", unreachable: true });
    expect((err as Error).message).toBe("Cannot reach the API at http://api.test (fetch failed)");
  });
});
