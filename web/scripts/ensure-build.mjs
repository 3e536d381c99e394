#!/usr/bin/env node
/**
 * Builds the web UI into web/dist when it is missing or older than its sources, so that
 * `npm ci && npm start` serves the current UI. Run by the root "prepare" (after npm ci /
 * npm install; with --soft a failed build only warns, so an install never fails on it) and
 * "prestart" (before npm start) scripts.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";

const web = resolve(import.meta.dirname, "..");
const soft = process.argv.includes("--soft");
const force = process.argv.includes("--force");
const built = join(web, "dist", "index.html");

/** The newest modification time under these paths (files and folders, recursively). */
const newest = (paths) => {
  let latest = 0;
  const visit = (path) => {
    if (!existsSync(path)) return;
    const st = statSync(path);
    if (st.isDirectory()) {
      for (const entry of readdirSync(path))
        if (entry !== "node_modules" && !/\.test\.tsx?$/.test(entry)) visit(join(path, entry));
    } else latest = Math.max(latest, st.mtimeMs);
  };
  for (const p of paths) visit(p);
  return latest;
};

const sources = [
  join(web, "src"),
  join(web, "public"),
  join(web, "index.html"),
  join(web, "vite.config.ts"),
  join(web, "package.json"),
  // The UI bundles the shared schemas (validation, enums) from core.
  resolve(web, "..", "core", "src"),
];
const stale = force || !existsSync(built) || newest(sources) > statSync(built).mtimeMs;
if (!stale) process.exit(0);

const fail = (message) => {
  if (soft) {
    console.warn(`[agentvine] ${message}; npm start will try again.`);
    process.exit(0);
  }
  console.error(`[agentvine] ${message}`);
  process.exit(1);
};

let viteBin;
try {
  viteBin = join(
    dirname(createRequire(join(web, "package.json")).resolve("vite/package.json")),
    "bin",
    "vite.js",
  );
} catch {
  fail("Cannot build the web UI: vite is not installed (run npm ci)");
}
console.log(`[agentvine] Building the web UI (${existsSync(built) ? "sources changed" : "no build yet"})...`);
const result = spawnSync(process.execPath, [viteBin, "build", "--logLevel", "warn"], {
  cwd: web,
  stdio: "inherit",
});
if (result.status !== 0) fail("Building the web UI failed");
console.log("[agentvine] Web UI built into web/dist");
