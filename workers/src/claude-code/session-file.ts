import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

/**
 * Claude Code keeps a session's transcript (what `resume` reloads) as one JSONL file under its
 * config dir, in a folder named for the working directory: every character but letters and
 * digits becomes "-" (as measured: see the notes on parking). A parked run takes the file from
 * its home; the resumed run, in another home and checkout, puts it where the CLI will look.
 */
export const sessionFile = (home: string, cwd: string, sessionId: string) =>
  join(home, ".claude", "projects", cwd.replace(/[^a-zA-Z0-9]/g, "-"), `${sessionId}.jsonl`);

const readOrNull = (file: string) =>
  readFile(file, "utf8").catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT") return null;
    throw err;
  });

const isJson = (line: string) => {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
};

/**
 * The session's transcript, or null when the CLI wrote none. Only whole entries: the CLI was
 * killed, and a line it was appending then is cut short (the CLI would reject the file).
 */
export const readSessionFile = async (file: string) => {
  const text = await readOrNull(file);
  if (text === null) return null;
  const lines = text.split("\n").filter((line) => line.trim() && isJson(line));
  return lines.length ? `${lines.join("\n")}\n` : null;
};

export const writeSessionFile = async (file: string, transcript: string) => {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, transcript);
};

/** How long a park waits for the CLI to write the call it is waiting in. */
const FLUSH_WAIT_MS = 5_000;
const FLUSH_POLL_MS = 50;

/**
 * Waits until the transcript holds `needle` (the call the agent waits in), at most FLUSH_WAIT_MS:
 * the CLI appends to it asynchronously, and a run killed at once was measured to lose its last
 * tool call (even its whole first turn). The CLI sends nothing meanwhile: it waits on us.
 */
export const waitForEntry = async (file: string, needle: string) => {
  for (let waited = 0; waited < FLUSH_WAIT_MS; waited += FLUSH_POLL_MS) {
    if ((await readOrNull(file))?.includes(needle)) return true;
    await sleep(FLUSH_POLL_MS);
  }
  return false;
};
