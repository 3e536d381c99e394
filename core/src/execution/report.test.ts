import { describe, expect, it } from "vitest";
import { defaultConfig } from "../config.ts";
import { boundReport, forEvent } from "./report.ts";
import type { ExecutionInfo } from "./schema.ts";

const bytes = (v: unknown) => Buffer.byteLength(typeof v === "string" ? v : JSON.stringify(v), "utf8");
const bounds = { maxTranscriptBytes: 60 * 1024, maxDiffBytes: 60 * 1024 };

describe("execution report bounds", () => {
  it("keeps a report within its limits as sent, with the cut flags false", () => {
    const report = {
      costUsd: 0.5,
      transcript: "hi",
      diff: "+a\n",
      files: [{ path: "a", added: 1, removed: 0 }],
    };
    expect(boundReport(report, bounds)).toEqual({
      ...report,
      transcriptTruncated: false,
      diffTruncated: false,
    });
    expect(boundReport({}, bounds)).toEqual({});
  });

  it("keeps the changed files that fit in 32 KB, in order", () => {
    const files = Array.from({ length: 2000 }, (_, i) => ({
      path: `src/${"d".repeat(40)}/${i}.ts`,
      added: i,
      removed: 0,
    }));
    const kept = boundReport({ files }, bounds).files ?? [];
    expect(kept.length).toBeGreaterThan(100);
    expect(kept.length).toBeLessThan(files.length);
    expect(kept).toEqual(files.slice(0, kept.length));
    expect(bytes(kept)).toBeLessThanOrEqual(32 * 1024 + 2 * kept.length);
  });

  it("cuts a long push error", () => {
    const pushError = boundReport({ pushError: "remote: denied\n".repeat(1000) }, bounds).pushError ?? "";
    expect(bytes(pushError)).toBeLessThanOrEqual(4096);
    expect(pushError.endsWith("…")).toBe(true);
  });
});

describe("execution.updated", () => {
  const info = (size: number) =>
    ({
      id: "e",
      output: "o".repeat(size),
      transcript: "t".repeat(size),
      diff: "d".repeat(size),
      costUsd: 1,
    }) as unknown as ExecutionInfo;

  it("carries the whole execution when it fits a WebSocket message", () => {
    expect(forEvent(info(1000))).toEqual(info(1000));
  });

  it("leaves transcript and diff out (null) when the execution would outgrow one", () => {
    const { maxOutputBytes, maxTranscriptBytes, maxDiffBytes } = defaultConfig();
    const big = {
      ...info(0),
      output: "o".repeat(maxOutputBytes),
      transcript: "t".repeat(maxTranscriptBytes),
      diff: "d".repeat(maxDiffBytes),
    };
    const event = forEvent(big);
    expect(event).toMatchObject({ transcript: null, diff: null, output: big.output, costUsd: 1 });
    expect(bytes({ type: "execution.updated", data: event })).toBeLessThan(128 * 1024);
  });
});
