import { existsSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, extname, resolve, sep } from "node:path";
import type { Context, Next } from "hono";

/** The built web UI (`npm run build` -> web/dist). */
export const WEB_DIST = resolve(import.meta.dirname, "../../web/dist");

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".ico": "image/x-icon",
  ".webp": "image/webp",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
};

/** Paths the API owns: never answered with the UI, even when nothing matched them. */
const API_PATHS = /^\/(api|docs|openapi\.json|healthz)(\/|$)/;

/** A URL path's file inside `root`, or null for a path that is malformed or leaves it. */
const fileIn = (root: string, urlPath: string) => {
  let path: string;
  try {
    path = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  const file = resolve(root, `.${path}`);
  return file === root || file.startsWith(root + sep) ? file : null;
};

const isFile = async (file: string) => (await stat(file).catch(() => null))?.isFile() ?? false;

const sendFile = async (c: Context, file: string, cacheControl: string) => {
  const headers = {
    "content-type": TYPES[extname(file)] ?? "application/octet-stream",
    "cache-control": cacheControl,
    "x-content-type-options": "nosniff",
  };
  if (c.req.method === "HEAD") return c.body(null, 200, headers);
  return c.body(new Uint8Array(await readFile(file)), 200, headers);
};

/**
 * Serves the built web UI at the API's origin: files from `dir` (hashed assets cached for a
 * year, everything else revalidated), and index.html for any other GET so client-side routes
 * (/tasks/123, /chat) survive a reload. API paths fall through to the API's 404. Without a
 * build, "/" redirects to the API docs and says how to build the UI.
 */
export const serveWeb = (dir: string = WEB_DIST) => {
  const root = resolve(dir);
  const index = resolve(root, "index.html");
  return async (c: Context, next: Next) => {
    if ((c.req.method !== "GET" && c.req.method !== "HEAD") || API_PATHS.test(c.req.path)) return next();
    if (!existsSync(index)) {
      if (c.req.path === "/") {
        c.header("x-agentvine-note", "web UI not built: run `npm run build`");
        return c.redirect("/docs");
      }
      return next();
    }
    const file = fileIn(root, c.req.path);
    if (!file) return next();
    const found = c.req.path !== "/" && (await isFile(file));
    // A missing asset is a 404, not the app: a stale tab asking for an old bundle should fail fast.
    if (!found && c.req.path.startsWith("/assets/")) return next();
    const immutable = found && c.req.path.startsWith("/assets/");
    return sendFile(c, found ? file : index, immutable ? "public, max-age=31536000, immutable" : "no-cache");
  };
};

/**
 * Where the API docs page loads Swagger UI from locally (createApp's swaggerUiBaseUrl): the
 * runtime's own copy of swagger-ui-dist, so /docs works without the internet.
 */
export const SWAGGER_UI_BASE = "/docs/assets";
const SWAGGER_UI_FILES = `${SWAGGER_UI_BASE}/swagger-ui-dist`;
const SWAGGER_UI_DIST = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));

/** Serves swagger-ui-dist's files under SWAGGER_UI_BASE; anything else falls through to the 404. */
export const serveSwaggerUi = () => {
  const root = resolve(SWAGGER_UI_DIST);
  return async (c: Context, next: Next) => {
    if (!c.req.path.startsWith(`${SWAGGER_UI_FILES}/`)) return next();
    const file = fileIn(root, c.req.path.slice(SWAGGER_UI_FILES.length));
    if (!file || !(await isFile(file))) return next();
    return sendFile(c, file, "public, max-age=3600");
  };
};
