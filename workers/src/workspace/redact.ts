/** `scheme://user:secret@host` -> `scheme://host`: a token handed to git never reaches a message. */
export const redactUrls = (text: string) => text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^/\s@]+@/gi, "$1");

const REASON_LIMIT = 500;

/**
 * The line of git's stderr that says why it failed: a push's rejected ref
 * (`! [remote rejected] b -> b (pre-receive hook declined)`), else its first fatal/error line,
 * else its first line.
 */
export const gitReason = (stderr: string) => {
  const lines = stderr
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
  const line =
    lines.find((l) => l.startsWith("! ")) ?? lines.find((l) => /^(fatal|error):/.test(l)) ?? lines[0] ?? "";
  return redactUrls(line).slice(0, REASON_LIMIT);
};
