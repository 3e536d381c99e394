import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Hono } from "hono";
import { afterAll, describe, expect, it } from "vitest";
import { serveWeb } from "./static-web.ts";

const dist = mkdtempSync(join(tmpdir(), "agentvine-web-"));
mkdirSync(join(dist, "assets"));
writeFileSync(join(dist, "index.html"), "<!doctype html><title>AgentVine</title>");
writeFileSync(join(dist, "assets", "index-abc123.js"), "console.log(1)");
writeFileSync(join(dist, "favicon.svg"), "<svg/>");
afterAll(() => rmSync(dist, { recursive: true, force: true }));

const appFor = (dir: string) => {
  const app = new Hono();
  app.get("/docs", (c) => c.text("docs"));
  app.get("/api/v1/tasks", (c) => c.json({ items: [] }));
  app.get("*", serveWeb(dir));
  app.notFound((c) => c.json({ error: { code: "not_found" } }, 404));
  return app;
};

describe("serveWeb", () => {
  const app = appFor(dist);

  it("serves the app at / and for client-side routes, revalidated", async () => {
    for (const path of ["/", "/tasks/0193", "/chat"]) {
      const res = await app.request(path);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/text\/html/);
      expect(res.headers.get("cache-control")).toBe("no-cache");
      expect(await res.text()).toContain("<title>AgentVine</title>");
    }
  });

  it("serves hashed assets for a year and other files with their type", async () => {
    const js = await app.request("/assets/index-abc123.js");
    expect(js.headers.get("content-type")).toMatch(/text\/javascript/);
    expect(js.headers.get("cache-control")).toMatch(/immutable/);
    const svg = await app.request("/favicon.svg");
    expect(svg.headers.get("content-type")).toBe("image/svg+xml");
  });

  it("leaves API paths and missing assets to the API's 404, and never leaves its folder", async () => {
    expect((await app.request("/api/v1/tasks")).status).toBe(200);
    expect((await app.request("/api/v1/nope")).status).toBe(404);
    expect((await app.request("/openapi.json")).status).toBe(404);
    expect((await app.request("/assets/old-bundle.js")).status).toBe(404);
    const traversal = await app.request("/..%2F..%2Fetc%2Fpasswd");
    expect(await traversal.text()).not.toContain("root:");
    expect((await app.request("/docs")).status).toBe(200);
  });

  it("without a build, sends / to the API docs", async () => {
    const res = await appFor(join(dist, "missing")).request("/");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/docs");
  });
});
