import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { renderSchema, SCHEMA_FILE } from "../scripts/generate.ts";

describe("the generated client types", () => {
  it("match the OpenAPI document the API serves now (else: npm run generate:client)", async () => {
    const [committed, current] = await Promise.all([readFile(SCHEMA_FILE, "utf8"), renderSchema()]);
    expect(committed === current, "client/src/schema.gen.ts is stale: run `npm run generate:client`").toBe(
      true,
    );
  });
});
