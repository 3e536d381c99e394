import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const workspace = resolve(import.meta.dirname, "..");

/** The image's entry point: the bundle its Dockerfile builds, started as the container starts it. */
describe("worker bundle", () => {
  it("builds, starts (--help), and refuses to run without its configuration, naming what is missing", async () => {
    await run("npm", ["run", "build"], { cwd: workspace });
    const { stdout } = await run(process.execPath, ["dist/main.mjs", "--help"], { cwd: workspace });
    expect(stdout).toContain("AGENTVINE_API_URL");

    const failed = await run(process.execPath, ["dist/main.mjs"], {
      cwd: workspace,
      env: { PATH: process.env.PATH },
    }).catch((err: { code: number; stdout: string }) => err);
    // A configuration error: exit code 2 and one fatal log line naming each variable.
    expect("code" in failed && failed.code).toBe(2);
    expect("stdout" in failed && failed.stdout).toMatch(
      /"level":"fatal".*worker configuration: AGENTVINE_API_URL: /,
    );
  }, 60_000);
});
