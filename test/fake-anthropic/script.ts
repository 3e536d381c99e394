import type { FakeRequest } from "./request.ts";

/** A block of the fake model's reply: text, or a call of one of the tools the request offers. */
export type Block =
  | { type: "text"; text: string }
  | { type: "tool_use"; name: string; input: Record<string, unknown> };

/** What the fake model answers to one request: content blocks, or an HTTP error. */
export type ModelTurn = { blocks: Block[] } | { error: { status: number; type: string; message: string } };

/** One step of a test's script: a turn, or a function of the request that makes it (it may wait). */
export type Step = ModelTurn | ((request: FakeRequest) => ModelTurn | Promise<ModelTurn>);

/** The model says `text` and ends its turn. */
export const say = (text: string): ModelTurn => ({ blocks: [{ type: "text", text }] });

/** The model calls `name` with `input`, after saying `text` when given. */
export const callTool = (name: string, input: Record<string, unknown>, text?: string): ModelTurn => ({
  blocks: [...(text ? [{ type: "text" as const, text }] : []), { type: "tool_use", name, input }],
});

/** The API refuses the request (500 is retried by the CLI, 400 is not). */
export const failWith = (status: number, message: string): ModelTurn => ({
  error: { status, type: status >= 500 ? "api_error" : "invalid_request_error", message },
});
