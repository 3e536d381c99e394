import { describe, expect, it } from "vitest";
import { parseUnifiedDiff, unquotePath } from "./unified-diff.ts";

const DIFF = [
  "diff --git a/src/app.ts b/src/app.ts",
  "index 83db48f..bf2a3c1 100644",
  "--- a/src/app.ts",
  "+++ b/src/app.ts",
  "@@ -1,4 +1,4 @@ export const app",
  " import { a } from './a';",
  "--- a removed line that looks like a header",
  "+++ an added line that looks like a header",
  " const x = 1;",
  " ",
  "@@ -10,2 +10,3 @@",
  " one",
  "+two",
  " three",
  "diff --git a/docs/new.md b/docs/new.md",
  "new file mode 100644",
  "index 0000000..e69de29",
  "--- /dev/null",
  "+++ b/docs/new.md",
  "@@ -0,0 +1 @@",
  "+# New",
  "\\ No newline at end of file",
  "diff --git a/old.txt b/old.txt",
  "deleted file mode 100644",
  "--- a/old.txt",
  "+++ /dev/null",
  "@@ -1,2 +0,0 @@",
  "-gone",
  "-too",
  "diff --git a/logo.png b/logo.png",
  "index 1111111..2222222 100644",
  "Binary files a/logo.png and b/logo.png differ",
  "diff --git a/lib/before.ts b/lib/after.ts",
  "similarity index 100%",
  "rename from lib/before.ts",
  "rename to lib/after.ts",
  "",
].join("\n");

describe("parseUnifiedDiff", () => {
  const files = parseUnifiedDiff(DIFF);

  it("finds every file with its path, counts and kind", () => {
    expect(files.map((f) => [f.path, f.added, f.removed, f.binary, f.oldPath])).toEqual([
      ["src/app.ts", 2, 1, false, null],
      ["docs/new.md", 1, 0, false, null],
      ["old.txt", 0, 2, false, null],
      ["logo.png", 0, 0, true, null],
      ["lib/after.ts", 0, 0, false, "lib/before.ts"],
    ]);
  });

  it("reads hunk lines by their header's counts, so '--- ' and '+++ ' inside a hunk are content", () => {
    const [first, second] = files[0]?.hunks ?? [];
    expect(first?.header).toBe("@@ -1,4 +1,4 @@ export const app");
    expect(first?.lines.map((l) => [l.kind, l.text, l.oldLine, l.newLine])).toEqual([
      ["context", "import { a } from './a';", 1, 1],
      ["remove", "-- a removed line that looks like a header", 2, null],
      ["add", "++ an added line that looks like a header", null, 2],
      ["context", "const x = 1;", 3, 3],
      ["context", "", 4, 4],
    ]);
    expect(second?.lines.map((l) => [l.kind, l.oldLine, l.newLine])).toEqual([
      ["context", 10, 10],
      ["add", null, 11],
      ["context", 11, 12],
    ]);
  });

  it("keeps git's notes, such as a missing newline at the end", () => {
    expect(files[1]?.hunks[0]?.lines.at(-1)).toEqual({
      kind: "note",
      text: "No newline at end of file",
      oldLine: null,
      newLine: null,
    });
  });

  it("keeps what it has of a diff cut short", () => {
    const cut = parseUnifiedDiff(
      "diff --git a/a.ts b/a.ts\n--- a/a.ts\n+++ b/a.ts\n@@ -1,3 +1,3 @@\n-old\n+ne",
    );
    expect(cut).toHaveLength(1);
    expect(cut[0]?.hunks[0]?.lines.map((l) => l.text)).toEqual(["old", "ne"]);
  });

  it("reads a plain diff (no git header) and paths with spaces", () => {
    const plain = parseUnifiedDiff(
      "--- a/my file.txt\t2025-01-01\n+++ b/my file.txt\t2025-01-02\n@@ -1 +1 @@\n-a\n+b\n--- a/two.txt\n+++ b/two.txt\n@@ -1 +1,2 @@\n x\n+y\n",
    );
    expect(plain.map((f) => [f.path, f.added, f.removed])).toEqual([
      ["my file.txt", 1, 1],
      ["two.txt", 1, 0],
    ]);
    expect(parseUnifiedDiff("diff --git a/a b c b/a b c\nBinary files differ\n")[0]?.path).toBe("a b c");
  });

  it("undoes git's quoting of unusual paths", () => {
    expect(unquotePath('"caf\\303\\251 \\"x\\".txt"')).toBe('café "x".txt');
    expect(unquotePath("plain.txt")).toBe("plain.txt");
    expect(
      parseUnifiedDiff('diff --git "a/caf\\303\\251.md" "b/caf\\303\\251.md"\nBinary files differ\n')[0]
        ?.path,
    ).toBe("café.md");
  });

  it("reads nothing from nothing", () => {
    expect(parseUnifiedDiff("")).toEqual([]);
  });
});
