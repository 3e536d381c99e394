import path from "node:path";
import { build, type Rolldown } from "vite";
import { describe, expect, it } from "vitest";

/**
 * The browser bundle holds no server code. The web app and the client reach core's zod schemas,
 * which derive from the entities' fields: should a schema import an entity itself, ElectroDB and
 * the AWS SDK follow it into every browser (they did, for 400 kB). Built as `npm start` builds it.
 */
const SERVER_LIBRARIES = /\/node_modules\/(electrodb|@aws-sdk|@smithy|hono|@hono|pino)\//;
const web = path.resolve(import.meta.dirname, "../web");

describe("the web bundle", () => {
  it("holds no server library, and the app's own chunk is apart from the libraries'", async () => {
    const result = (await build({
      root: web,
      configFile: path.join(web, "vite.config.ts"),
      logLevel: "silent",
      build: { write: false, sourcemap: false },
    })) as Rolldown.RolldownOutput;
    const chunks = result.output.filter((o): o is Rolldown.OutputChunk => o.type === "chunk");
    const modules = chunks.flatMap((c) => c.moduleIds);
    expect(modules.some((m) => m.includes("/core/src/task/schema.ts"))).toBe(true);
    expect(modules.filter((m) => SERVER_LIBRARIES.test(m))).toEqual([]);
    const entry = chunks.find((c) => c.isEntry);
    expect(entry?.moduleIds.some((m) => m.includes("/node_modules/"))).toBe(false);
  });
});
