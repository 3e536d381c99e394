/**
 * The layering rules in .dependency-cruiser.json (run over the repository by `npm run lint:deps`)
 * applied to a small fixture tree: each forbidden import is reported under its rule, and the
 * allowed ones (type-only core imports from web, tests through test/runtime.ts) are not.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "..");
const DEPCRUISE = join(ROOT, "node_modules/dependency-cruiser/bin/dependency-cruise.mjs");

const FIXTURE: Record<string, string> = {
  "tsconfig.json": JSON.stringify({
    compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext", allowImportingTsExtensions: true },
  }),
  "core/src/task/service.ts": `import { api } from "../../../functions/src/api.ts";\nexport const service = api;\n`,
  "core/src/task/types.ts": "export interface Task { id: string }\n",
  "core/src/db/enums.ts": `export const STATUSES = ["queued"] as const;\n`,
  "functions/src/api.ts": `import { worker } from "../../workers/src/worker.ts";\nexport const api = worker;\n`,
  "workers/src/worker.ts": "export const worker = 1;\n",
  "workers/src/system.test.ts": `import { runtime } from "../../local/src/runtime.ts";\nexport const t = runtime;\n`,
  "workers/src/harnessed.test.ts": `import { runtime } from "../../test/runtime.ts";\nexport const t = runtime;\n`,
  "test/runtime.ts": `export { runtime } from "../local/src/runtime.ts";\n`,
  "local/src/runtime.ts": "export const runtime = 1;\n",
  "web/src/allowed.ts": [
    `import type { Task } from "../../core/src/task/types.ts";`,
    `import { STATUSES } from "../../core/src/db/enums.ts";`,
    "export const first = (t: Task): string => t.id + STATUSES[0];",
    "",
  ].join("\n"),
  "web/src/forbidden.ts": `import { service } from "../../core/src/task/service.ts";\nexport const s = service;\n`,
};

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

describe("dependency rules", () => {
  let dir = "";
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("reports each forbidden import under its rule and passes the allowed ones", async () => {
    dir = await mkdtemp(join(tmpdir(), "agentvine-depcruise-"));
    for (const [path, text] of Object.entries(FIXTURE)) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), text);
    }
    const args = [DEPCRUISE, "--config", join(ROOT, ".dependency-cruiser.json"), "--output-type", "json"];
    // depcruise exits with the number of errors: a non-zero exit is the expected outcome here.
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [...args, "core", "functions", "workers", "local", "web", "test"],
      { cwd: dir },
    ).catch((err: { stdout: string; code: number }) => {
      expect(err.code).toBe(4);
      return err;
    });
    const violations = (JSON.parse(stdout).summary.violations as Violation[])
      .map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`)
      .sort();
    expect(violations).toEqual([
      "core-is-the-bottom: core/src/task/service.ts -> functions/src/api.ts",
      "deployed-code-not-local: workers/src/system.test.ts -> local/src/runtime.ts",
      "functions-not-workers: functions/src/api.ts -> workers/src/worker.ts",
      "web-not-server-code: web/src/forbidden.ts -> core/src/task/service.ts",
    ]);
  }, 60_000);

  it("core exports its public modules only: an aggregate's store stays inside", async () => {
    const publicModule = "@agentvine/core/work-order/index";
    const privateModule = "@agentvine/core/work-order/store";
    await expect(import(publicModule)).resolves.toHaveProperty("WorkOrder");
    await expect(import(privateModule)).rejects.toThrow(/not exported|No known conditions|Missing/i);
  });
});
