import { describe, expect, it } from "vitest";
import { usageBeforeResult } from "./report.ts";

/** A reply's usage as the stream gave it when it began. */
const began = { input_tokens: 100, output_tokens: 1 };
const streamed = (...ids: string[]) => new Map(ids.map((id) => [id, began]));

const reply = (id: string, output: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    type: "assistant",
    message: { id, usage: { input_tokens: 100, output_tokens: output, ...extra } },
  });

describe("usage of a run stopped before its result", () => {
  it("counts each reply of this run once, with its final usage, and cache reads and writes as input", () => {
    const transcript = [
      reply("earlier", 20), // a resumed session's reply from before: not this run's
      JSON.stringify({ type: "user", message: { content: "hi" } }),
      reply("r1", 20, { cache_read_input_tokens: 50, cache_creation_input_tokens: 5 }),
      reply("r2", 30), // text, then a tool call: two entries of one reply
      reply("r2", 30),
      '{"type":"assistant","message":{"id":"r3"', // cut short by the kill
    ].join("\n");

    expect(usageBeforeResult(transcript, streamed("r1", "r2"))).toEqual({
      turns: 2,
      inputTokens: 255,
      outputTokens: 50,
    });
  });

  it("counts a reply the transcript does not have yet as the stream gave it, and nothing without replies", () => {
    expect(usageBeforeResult(reply("r1", 20), streamed("r1", "r2"))).toEqual({
      turns: 2,
      inputTokens: 200,
      outputTokens: 21,
    });
    expect(usageBeforeResult(null, streamed("r1"))).toEqual({ turns: 1, inputTokens: 100, outputTokens: 1 });
    expect(usageBeforeResult(reply("r1", 20), new Map())).toEqual({});
  });
});
