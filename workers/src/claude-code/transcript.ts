import { boundedJson, clip } from "./tool-summary.ts";

/** Bound of the transcript kept with the execution (like its output). */
export const TRANSCRIPT_MAX_CHARS = 60_000;
/** Bound of one tool input or result in it, so one big file read does not fill it. */
const ENTRY_MAX_CHARS = 2_000;

type Block = {
  type: string;
  text?: string;
  name?: string;
  input?: unknown;
  content?: unknown;
  is_error?: boolean;
};

const resultText = (content: unknown) =>
  typeof content === "string"
    ? content
    : Array.isArray(content)
      ? content.map((c: { text?: string }) => c.text ?? "").join("")
      : boundedJson(content, ENTRY_MAX_CHARS);

/** What the agent said and did, as text: assistant text, tool calls and their results. */
export class Transcript {
  #text = "";
  truncated = false;

  /** Records the blocks of an assistant or user (tool result) message. */
  add(blocks: readonly Block[]) {
    for (const b of blocks) {
      if (b.type === "text" && b.text) this.note(`assistant: ${b.text}`);
      else if (b.type === "tool_use") this.note(`tool ${b.name}: ${boundedJson(b.input, ENTRY_MAX_CHARS)}`);
      else if (b.type === "tool_result")
        this.note(`result${b.is_error ? " (error)" : ""}: ${clip(resultText(b.content), ENTRY_MAX_CHARS)}`);
    }
  }

  /** Records a line: a block of the agent's, or one of the run's own (an approval and its answer). */
  note(entry: string) {
    if (this.truncated) return;
    const next = this.#text ? `${this.#text}\n${entry}` : entry;
    this.truncated = next.length > TRANSCRIPT_MAX_CHARS;
    this.#text = next.slice(0, TRANSCRIPT_MAX_CHARS);
  }

  get text() {
    return this.#text;
  }
}
