/**
 * `npm run generate:client`: writes src/schema.gen.ts, the types of every route, from the
 * OpenAPI document the API serves at /openapi.json. The document is built in-process from
 * createApp, so no engine, table or server is needed; src/schema.test.ts fails when the file
 * is stale.
 */
import { writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { Ctx } from "@agentvine/core/context";
import { configureLog } from "@agentvine/core/log";
import { createApp } from "@agentvine/functions/api/app";
import openapiTS, { astToString, COMMENT_HEADER } from "openapi-typescript";

export const SCHEMA_FILE = fileURLToPath(new URL("../src/schema.gen.ts", import.meta.url));

/**
 * Serving /openapi.json reads nothing from the context (only the /api/v1 routes do), so a
 * context that throws when touched proves the document depends on no engine.
 */
const untouchable = new Proxy({} as Ctx, {
  get(_target, key) {
    throw new Error(`Building the OpenAPI document must not use the context (read ctx.${String(key)})`);
  },
});

/** The OpenAPI document exactly as GET /openapi.json serves it. */
export const openApiDocument = async (): Promise<Record<string, unknown>> => {
  const app = createApp(untouchable, { wsUrl: () => "ws://localhost/ws" });
  const res = await app.request("/openapi.json");
  if (!res.ok) throw new Error(`GET /openapi.json answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
};

/** The text of src/schema.gen.ts for the current routes. */
export const renderSchema = async () => {
  const ast = await openapiTS(JSON.stringify(await openApiDocument()), { alphabetize: true });
  return `${COMMENT_HEADER}// Regenerate with \`npm run generate:client\` after changing a route or a schema.\n\n${astToString(ast)}`;
};

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  configureLog({ service: "generate-client", level: "warn" });
  await writeFile(SCHEMA_FILE, await renderSchema());
  console.log(`wrote ${SCHEMA_FILE}`);
}
