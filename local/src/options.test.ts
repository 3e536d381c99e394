import { describe, expect, it } from "vitest";
import { parseOptions } from "./options.ts";
import { StartupError } from "./startup-error.ts";

/** What parseOptions threw, for its message and exit code. */
const refusal = (argv: string[], env: NodeJS.ProcessEnv = {}) => {
  try {
    parseOptions(argv, env);
  } catch (err) {
    if (err instanceof StartupError) return err;
    throw err;
  }
  throw new Error("no refusal");
};

describe("npm start options", () => {
  it("keeps DynamoDB's data in the data dir unless --memory is given", () => {
    const kept = parseOptions(["--data-dir", "/tmp/x"], {});
    expect(kept).toMatchObject({ dataDir: "/tmp/x", memory: undefined });
    expect(parseOptions(["--memory"], {})).toMatchObject({ dataDir: ".agentvine", memory: true });
  });

  it("names a bad value as it was given, as a usage error (exit code 2)", () => {
    const port = refusal(["--port", "abc"]);
    expect(port.exitCode).toBe(2);
    expect(port.message).toMatch(/^--port: .*\(given: "abc"\)\nSee npm start -- --help$/);
    expect(refusal(["--workers", "99"]).message).toMatch(/^--workers: .*50.*\(given: "99"\)/);
    expect(refusal([], { AGENTVINE_LOG_LEVEL: "loud" }).message).toMatch(/^AGENTVINE_LOG_LEVEL: .*"loud"/);
  });

  it("refuses an unknown option or a missing value, naming it", () => {
    expect(refusal(["--bogus"]).message).toMatch(/^Unknown option '--bogus'/);
    expect(refusal(["--port"]).message).toMatch(/--port/);
    expect(refusal(["--port"]).exitCode).toBe(2);
  });

  it("checks the domain's settings before starting anything", () => {
    const lease = refusal([], { AGENTVINE_LEASE_MS: "soon" });
    expect(lease.exitCode).toBe(2);
    expect(lease.message).toMatch(/^AGENTVINE_LEASE_MS: .*\(given: "soon"\)\nSee npm start/);
  });

  it("never repeats a token it refuses", () => {
    const token = refusal([], { AGENTVINE_ADMIN_TOKEN: "short-secret" });
    expect(token.message).toMatch(/^AGENTVINE_ADMIN_TOKEN: .*16 characters/);
    expect(token.message).not.toContain("short-secret");
  });
});
