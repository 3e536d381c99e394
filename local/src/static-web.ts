import { existsSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { extname, resolve, sep } from "node:path";
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
    let path: string;
    try {
      path = decodeURIComponent(c.req.path);
    } catch {
      return next();
    }
    const file = resolve(root, `.${path}`);
    if (file !== root && !file.startsWith(root + sep)) return next();
    const found = path !== "/" && (await stat(file).catch(() => null))?.isFile();
    // A missing asset is a 404, not the app: a stale tab asking for an old bundle should fail fast.
    if (!found && path.startsWith("/assets/")) return next();
    const target = found ? file : index;
    const immutable = found && path.startsWith("/assets/");
    const headers = {
      "content-type": TYPES[extname(target)] ?? "application/octet-stream",
      "cache-control": immutable ? "public, max-age=31536000, immutable" : "no-cache",
      "x-content-type-options": "nosniff",
    };
    if (c.req.method === "HEAD") return c.body(null, 200, headers);
    return c.body(new Uint8Array(await readFile(target)), 200, headers);
  };
};
