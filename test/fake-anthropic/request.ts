import type { IncomingHttpHeaders } from "node:http";

/** The parts of a Messages API request body the fake reads. */
export interface MessagesBody {
  model?: string;
  stream?: boolean;
  messages?: { role: string; content: string | ContentBlock[] }[];
  tools?: { name: string }[];
}

type ContentBlock = {
  type: string;
  id?: string;
  name?: string;
  text?: string;
  tool_use_id?: string;
  is_error?: boolean;
  content?: string | { type: string; text?: string }[];
};

export interface ToolResult {
  toolUseId: string;
  /** The name of the tool the model called, found by the tool_use block's id. */
  tool: string | undefined;
  /** The result's text, without the `<system-reminder>` blocks the CLI appends. */
  text: string;
  isError: boolean;
}

/** One request the fake received, as a script step sees it. */
export interface FakeRequest {
  /** Date.now() when it arrived. */
  at: number;
  headers: IncomingHttpHeaders;
  body: MessagesBody;
  /** The x-claude-code-session-id header: the CLI's session id. */
  sessionId: string | undefined;
  /** The names of the tools offered to the model. */
  tools: string[];
  /** The tool results of the last user message (the answers to the model's previous turn). */
  toolResults: ToolResult[];
}

export const stripReminders = (text: string) =>
  text.replace(/<system-reminder>[\s\S]*?<\/system-reminder>/g, "").trim();

const textOf = (content: ContentBlock["content"]) =>
  typeof content === "string" ? content : (content ?? []).map((c) => c.text ?? "").join("");

const blocksOf = (content: string | ContentBlock[] | undefined): ContentBlock[] =>
  Array.isArray(content) ? content : [];

export const toFakeRequest = (headers: IncomingHttpHeaders, body: MessagesBody): FakeRequest => {
  const messages = body.messages ?? [];
  const toolNames = new Map<string, string>();
  for (const block of messages.flatMap((m) => blocksOf(m.content)))
    if (block.type === "tool_use" && block.id && block.name) toolNames.set(block.id, block.name);
  const last = messages.at(-1);
  const toolResults = blocksOf(last?.role === "user" ? last.content : undefined)
    .filter((b) => b.type === "tool_result")
    .map((b) => ({
      toolUseId: b.tool_use_id ?? "",
      tool: toolNames.get(b.tool_use_id ?? ""),
      text: stripReminders(textOf(b.content)),
      isError: b.is_error === true,
    }));
  const sessionId = headers["x-claude-code-session-id"];
  return {
    at: Date.now(),
    headers,
    body,
    sessionId: typeof sessionId === "string" ? sessionId : undefined,
    tools: (body.tools ?? []).map((t) => t.name),
    toolResults,
  };
};
