/** A unified diff (git diff's output) read into files and hunks, for the diff view. */

export interface DiffLine {
  kind: "add" | "remove" | "context" | "note";
  text: string;
  /** Line numbers in the old and the new file (null where the line is not in that side). */
  oldLine: number | null;
  newLine: number | null;
}

export interface DiffHunk {
  /** The `@@ -a,b +c,d @@ section` line. */
  header: string;
  lines: DiffLine[];
}

export interface DiffFile {
  path: string;
  /** The path before a rename, else null. */
  oldPath: string | null;
  binary: boolean;
  added: number;
  removed: number;
  hunks: DiffHunk[];
}

const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/**
 * Git quotes a path holding unusual characters ("a/caf\303\251.txt"): undo that, reading octal
 * escapes as UTF-8 bytes.
 */
export const unquotePath = (raw: string): string => {
  if (!raw.startsWith('"') || !raw.endsWith('"')) return raw;
  const bytes: number[] = [];
  const body = raw.slice(1, -1);
  const simple: Record<string, string> = {
    n: "\n",
    t: "\t",
    '"': '"',
    "\\": "\\",
    a: "\x07",
    b: "\b",
    f: "\f",
    r: "\r",
    v: "\v",
  };
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (c !== "\\") {
      bytes.push(...new TextEncoder().encode(c));
      continue;
    }
    const octal = /^[0-7]{3}/.exec(body.slice(i + 1));
    if (octal) {
      bytes.push(Number.parseInt(octal[0], 8));
      i += 3;
    } else {
      const next = body[i + 1] ?? "";
      bytes.push(...new TextEncoder().encode(simple[next] ?? next));
      i += 1;
    }
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
};

/** "a/src/x.ts" -> "src/x.ts"; /dev/null -> null. */
const sidePath = (raw: string): string | null => {
  const path = unquotePath(raw.replace(/\t.*$/, ""));
  if (path === "/dev/null") return null;
  return path.replace(/^[ab]\//, "");
};

/** The paths on a `diff --git a/x b/y` line, for files with no ---/+++ lines (binary, mode-only, renames). */
const gitHeaderPath = (rest: string): string => {
  const quoted = /^"(?:[^"\\]|\\.)*" ("(?:[^"\\]|\\.)*")$/.exec(rest);
  if (quoted?.[1]) return sidePath(quoted[1]) ?? "";
  // Unquoted: "a/p b/p" with the same p on both sides unless renamed (then rename to gives it).
  const half = (rest.length - 1) / 2;
  return sidePath(Number.isInteger(half) ? rest.slice(half + 1) : (rest.split(" b/").pop() ?? rest)) ?? "";
};

const newFile = (path: string): DiffFile => ({
  path,
  oldPath: null,
  binary: false,
  added: 0,
  removed: 0,
  hunks: [],
});

/**
 * Reads a diff. Hunk lines are counted against their header, so a removed line that starts
 * with "--" is not mistaken for a file header; a diff cut short (truncated) keeps what it has.
 */
export const parseUnifiedDiff = (text: string): DiffFile[] => {
  const files: DiffFile[] = [];
  let file: DiffFile | null = null;
  let hunk: DiffHunk | null = null;
  // Lines still due in the current hunk, and the line numbers the next ones have.
  let oldLeft = 0;
  let newLeft = 0;
  let oldNo = 0;
  let newNo = 0;

  for (const line of text.replace(/\n$/, "").split("\n")) {
    const sign = line[0];
    if (
      file &&
      hunk &&
      (oldLeft > 0 || newLeft > 0) &&
      (sign === "+" || sign === "-" || sign === " " || !line)
    ) {
      const kind = sign === "+" ? "add" : sign === "-" ? "remove" : "context";
      hunk.lines.push({
        kind,
        text: line.slice(1),
        oldLine: kind === "add" ? null : oldNo++,
        newLine: kind === "remove" ? null : newNo++,
      });
      if (kind !== "add") oldLeft--;
      if (kind !== "remove") newLeft--;
      if (kind === "add") file.added++;
      if (kind === "remove") file.removed++;
      continue;
    }
    if (hunk && sign === "\\") {
      hunk.lines.push({ kind: "note", text: line.slice(2), oldLine: null, newLine: null });
      continue;
    }
    const hunkHead = HUNK.exec(line);
    if (line.startsWith("diff --git ") || (line.startsWith("--- ") && (!file || file.hunks.length > 0))) {
      // A new file: git's header, or (in a plain diff) its "---" line.
      const path = line.startsWith("--- ") ? sidePath(line.slice(4)) : gitHeaderPath(line.slice(11));
      file = newFile(path ?? "");
      files.push(file);
      hunk = null;
      oldLeft = newLeft = 0;
    } else if (hunkHead) {
      if (!file) {
        file = newFile("");
        files.push(file);
      }
      oldNo = Number(hunkHead[1]);
      newNo = Number(hunkHead[3]);
      oldLeft = hunkHead[2] === undefined ? 1 : Number(hunkHead[2]);
      newLeft = hunkHead[4] === undefined ? 1 : Number(hunkHead[4]);
      hunk = { header: line, lines: [] };
      file.hunks.push(hunk);
    } else if (file) {
      readFileHeader(file, line);
    }
  }
  return files;
};

/** The lines between a file's `diff --git` and its first hunk: paths, renames, binary. */
const readFileHeader = (file: DiffFile, line: string) => {
  if (line.startsWith("--- ") || line.startsWith("+++ ")) {
    const path = sidePath(line.slice(4));
    if (path && (line[0] === "+" || !file.path)) file.path = path;
  } else if (line.startsWith("rename from ")) {
    file.oldPath = unquotePath(line.slice("rename from ".length));
  } else if (line.startsWith("rename to ")) {
    file.path = unquotePath(line.slice("rename to ".length));
  } else if (line.startsWith("Binary files ") || line === "GIT binary patch") {
    file.binary = true;
  }
};
