import type { ServerResponse } from "node:http";
import type { Block } from "./script.ts";

/** The usage every reply reports, so tests can tell what the CLI adds up. */
export const USAGE_PER_REPLY = { input_tokens: 100, output_tokens: 20 };

type ToolUse = { type: "tool_use"; id: string; name: string; input: Record<string, unknown> };

const withIds = (blocks: Block[], messageId: string) =>
  blocks.map((b, i): Block | ToolUse =>
    b.type === "tool_use" ? { ...b, id: `toolu_${messageId}_${i}` } : b,
  );

const stopReason = (blocks: Block[]) => (blocks.some((b) => b.type === "tool_use") ? "tool_use" : "end_turn");

export const replyError = (res: ServerResponse, error: { status: number; type: string; message: string }) => {
  res.writeHead(error.status, { "content-type": "application/json" });
  res.end(JSON.stringify({ type: "error", error: { type: error.type, message: error.message } }));
};

/** The CLI falls back to a non-streaming request when a stream breaks: a plain Message. */
export const replyJson = (res: ServerResponse, id: string, model: string, blocks: Block[]) => {
  res.writeHead(200, { "content-type": "application/json", "request-id": `req_${id}` });
  res.end(
    JSON.stringify({
      id,
      type: "message",
      role: "assistant",
      model,
      content: withIds(blocks, id),
      stop_reason: stopReason(blocks),
      stop_sequence: null,
      usage: USAGE_PER_REPLY,
    }),
  );
};

/** The event stream the CLI parses (measured: `event:` lines and content_block_stop are required). */
export const replySse = (res: ServerResponse, id: string, model: string, blocks: Block[]) => {
  res.writeHead(200, {
    "content-type": "text/event-stream",
    "cache-control": "no-cache",
    "request-id": `req_${id}`,
  });
  const send = (data: { type: string } & Record<string, unknown>) =>
    res.write(`event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`);
  send({
    type: "message_start",
    message: {
      id,
      type: "message",
      role: "assistant",
      model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { ...USAGE_PER_REPLY, output_tokens: 1 },
    },
  });
  withIds(blocks, id).forEach((block, index) => {
    if (block.type === "text") {
      send({ type: "content_block_start", index, content_block: { type: "text", text: "" } });
      send({ type: "content_block_delta", index, delta: { type: "text_delta", text: block.text } });
    } else {
      const { input, ...start } = block as ToolUse;
      send({ type: "content_block_start", index, content_block: { ...start, input: {} } });
      send({
        type: "content_block_delta",
        index,
        delta: { type: "input_json_delta", partial_json: JSON.stringify(input) },
      });
    }
    send({ type: "content_block_stop", index });
  });
  send({
    type: "message_delta",
    delta: { stop_reason: stopReason(blocks), stop_sequence: null },
    usage: { output_tokens: USAGE_PER_REPLY.output_tokens },
  });
  send({ type: "message_stop" });
  res.end();
};
