import { describe, expect, it } from "vitest";
import { parseOptions } from "./options.ts";

describe("npm start options", () => {
  it("keeps DynamoDB's data in the data dir unless --memory is given", () => {
    const kept = parseOptions(["--data-dir", "/tmp/x"], {});
    expect(kept).toMatchObject({ dataDir: "/tmp/x", memory: undefined });
    expect(parseOptions(["--memory"], {})).toMatchObject({ dataDir: ".agentvine", memory: true });
  });

  it("names a bad value", () => {
    expect(() => parseOptions(["--workers", "x"], {})).toThrow(/workers/);
  });
});
