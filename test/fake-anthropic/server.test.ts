import { afterEach, describe, expect, it } from "vitest";
import { callTool, failWith, say } from "./script.ts";
import { type FakeAnthropic, startFakeAnthropic } from "./server.ts";

describe("fake Anthropic Messages API", () => {
  let fake: FakeAnthropic;
  afterEach(() => fake?.close());
  const post = (body: object, headers: Record<string, string> = {}) =>
    fetch(`${fake.url}/v1/messages?beta=true`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ model: "m1", tools: [{ name: "Bash" }], ...body }),
    });

  it("streams a scripted turn as the CLI reads it, and records the request", async () => {
    fake = await startFakeAnthropic([callTool("Bash", { command: "ls" }, "Looking.")]);
    const res = await post({ stream: true, messages: [] }, { "x-claude-code-session-id": "s-1" });
    const events = (await res.text()).split("\n").filter((l) => l.startsWith("event: "));

    expect(res.headers.get("content-type")).toBe("text/event-stream");
    expect(events).toEqual(
      [
        "message_start",
        ...["content_block_start", "content_block_delta", "content_block_stop"],
        ...["content_block_start", "content_block_delta", "content_block_stop"],
        "message_delta",
        "message_stop",
      ].map((e) => `event: ${e}`),
    );
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]).toMatchObject({ sessionId: "s-1", tools: ["Bash"] });
    expect((await fake.firstRequest).sessionId).toBe("s-1");
  });

  it("answers a non-streaming request with a Message", async () => {
    fake = await startFakeAnthropic([say("Hello")]);
    const message = await (await post({ stream: false, messages: [] })).json();
    expect(message).toMatchObject({
      model: "m1",
      content: [{ type: "text", text: "Hello" }],
      stop_reason: "end_turn",
    });
  });

  it("shows a step the tool results without the CLI's reminders", async () => {
    let seen: unknown;
    fake = await startFakeAnthropic([
      (req) => {
        seen = req.toolResults;
        return say("ok");
      },
    ]);
    await post({
      messages: [
        { role: "assistant", content: [{ type: "tool_use", id: "tu1", name: "Bash", input: {} }] },
        {
          role: "user",
          content: [
            {
              type: "tool_result",
              tool_use_id: "tu1",
              is_error: true,
              content: [{ type: "text", text: "denied<system-reminder>be nice</system-reminder>" }],
            },
          ],
        },
      ],
    });
    expect(seen).toEqual([{ toolUseId: "tu1", tool: "Bash", text: "denied", isError: true }]);
  });

  it("replies with scripted errors, and with a 500 past the script's end", async () => {
    fake = await startFakeAnthropic([failWith(400, "bad")]);
    const refused = await post({ messages: [] });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({
      type: "error",
      error: { type: "invalid_request_error", message: "bad" },
    });
    expect((await post({ messages: [] })).status).toBe(500);
  });

  it("answers the CLI's side requests (no tools) without using the script", async () => {
    fake = await startFakeAnthropic([say("scripted")]);
    await post({ tools: [], stream: false, messages: [] });
    const message = await (await post({ stream: false, messages: [] })).json();
    expect(message).toMatchObject({ content: [{ type: "text", text: "scripted" }] });
  });
});
