/** The input field that says what a built-in tool call does, for its one-line summary. */
const KEY_FIELD: Record<string, string> = {
  Bash: "command",
  Read: "file_path",
  Write: "file_path",
  Edit: "file_path",
  MultiEdit: "file_path",
  NotebookEdit: "notebook_path",
  Glob: "pattern",
  Grep: "pattern",
  WebFetch: "url",
  WebSearch: "query",
  Task: "description",
  mcp__agentvine__ask_human: "question",
};

/** `text`, cut to `max` characters. */
export const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * JSON of a tool's input within `max` characters (a chat message, a transcript line): long
 * strings (a file's whole content) are shortened first, so it stays JSON and every field still
 * shows; only if that is not enough is the whole cut.
 */
export const boundedJson = (value: unknown, max: number) => {
  const perString = Math.max(100, Math.floor(max / 4));
  const json =
    JSON.stringify(value, (_key, v: unknown) =>
      typeof v === "string" && v.length > perString
        ? `${v.slice(0, perString)}… (${v.length - perString} more characters)`
        : v,
    ) ?? "null";
  return clip(json, max);
};

/** One line saying what a tool call does: `Bash: npm test`, `Write: src/a.ts`. */
export const toolSummary = (tool: string, input: Record<string, unknown>) => {
  const field = KEY_FIELD[tool];
  const value = field === undefined ? undefined : input[field];
  const what = typeof value === "string" ? value : boundedJson(input, 200);
  const name = tool.replace(/^mcp__agentvine__/, "");
  return clip(`${name}: ${what.replace(/\s+/g, " ").trim()}`, 200);
};
