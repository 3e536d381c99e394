import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DIFF_LIMIT } from "./deliver.ts";
import { commitFile, eachOrigin, exists, git, signal } from "./git-fixture.ts";
import { Workspaces } from "./workspaces.ts";

const t = eachOrigin();

describe("a task's workspace", () => {
  it("checks out the branch, and delivers the change as a pushed commit by AgentVine", async () => {
    const ws = await t.open();
    expect(ws).toMatchObject({ branch: "agentvine/t1", baseSha: t.origin.firstSha });
    expect(await readFile(join(ws.dir, "README.md"), "utf8")).toBe("# Seed\n");
    await writeFile(join(ws.dir, "answer.txt"), "Use zod\n");
    await writeFile(join(ws.dir, "README.md"), "# Seed, edited\n");

    const delivery = await ws.deliver({ message: "Task t1: answer" });

    expect(delivery.pushError).toBeUndefined();
    expect(delivery.branch).toBe("agentvine/t1");
    expect(git(t.origin.origin, "rev-parse", "refs/heads/agentvine/t1")).toBe(delivery.commitSha);
    expect(git(t.origin.origin, "show", "agentvine/t1:answer.txt")).toBe("Use zod");
    expect(git(t.origin.origin, "log", "-1", "--format=%an <%ae>|%cn|%s", "agentvine/t1")).toBe(
      "AgentVine <agentvine@localhost>|AgentVine|Task t1: answer",
    );
    expect(git(t.origin.origin, "rev-parse", "agentvine/t1~1")).toBe(t.origin.firstSha);
    expect(delivery.files).toEqual([
      { path: "README.md", added: 1, removed: 1 },
      { path: "answer.txt", added: 1, removed: 0 },
    ]);
    expect(delivery.diff).toContain("+++ b/answer.txt\n@@ -0,0 +1 @@\n+Use zod\n");
    expect(delivery.diff).toContain("-# Seed\n+# Seed, edited\n");
    expect(delivery.diffTruncated).toBe(false);
  });

  it("starts from the remote's default branch when the task names none", async () => {
    t.origin.branch("trunk");
    const trunkSha = await t.origin.commit("trunk.txt", "trunk\n", "trunk");
    git(t.origin.origin, "symbolic-ref", "HEAD", "refs/heads/trunk");

    const ws = await t.open("t1", null);
    expect(ws.baseSha).toBe(trunkSha);
    const named = await t.open("t2");
    expect(named.baseSha).toBe(t.origin.firstSha);
  });

  it("takes a plain local path as the repository", async () => {
    const ws = await t.workspaces.open(
      { taskId: "t1", repositoryUrl: t.origin.origin, branchName: "main" },
      signal(),
    );
    await writeFile(join(ws.dir, "answer.txt"), "Use zod\n");
    expect((await ws.deliver({ message: "Task t1" })).pushError).toBeUndefined();
    expect(git(t.origin.origin, "show", "agentvine/t1:answer.txt")).toBe("Use zod");
  });

  it("reuses the mirror for a second task on the same repository, and sees what was pushed since", async () => {
    await t.open();
    const newer = await t.origin.commit("later.txt", "later\n");

    const second = await t.open("t2");

    expect(await readdir(join(t.origin.cacheDir, "mirrors"))).toHaveLength(1);
    expect(second.baseSha).toBe(newer);
    expect(await exists(join(second.dir, "later.txt"))).toBe(true);
  });

  it("opens and delivers tasks on one repository at the same time", async () => {
    const opened = await Promise.all(["t1", "t2", "t3"].map((id) => t.open(id)));
    expect(await readdir(join(t.origin.cacheDir, "mirrors"))).toHaveLength(1);

    const delivered = await Promise.all(
      opened.map(async (ws) => {
        await writeFile(join(ws.dir, `${ws.branch.slice("agentvine/".length)}.txt`), "done\n");
        return ws.deliver({ message: ws.branch });
      }),
    );

    expect(delivered.map((d) => d.pushError)).toEqual([undefined, undefined, undefined]);
    expect(git(t.origin.origin, "branch", "--list", "agentvine/*", "--format=%(refname:short)")).toBe(
      "agentvine/t1\nagentvine/t2\nagentvine/t3",
    );
  });

  it("delivers nothing changed as the base commit, with no files and no diff", async () => {
    const ws = await t.open();
    const delivery = await ws.deliver({ message: "Task t1" });
    expect(delivery).toEqual({
      branch: "agentvine/t1",
      commitSha: t.origin.firstSha,
      files: [],
      diff: "",
      diffTruncated: false,
    });
    expect(git(t.origin.origin, "rev-parse", "refs/heads/agentvine/t1")).toBe(t.origin.firstSha);
  });

  it("keeps the agent's own commits and counts a binary file as 0/0", async () => {
    const ws = await t.open();
    await commitFile(ws.dir, "own.txt", "committed by the agent\n", "Agent's commit");
    await writeFile(join(ws.dir, "logo.bin"), Buffer.from([0, 1, 2, 0, 255]));

    const delivery = await ws.deliver({ message: "Task t1" });

    expect(git(t.origin.origin, "rev-list", "--count", `${t.origin.firstSha}..agentvine/t1`)).toBe("2");
    expect(delivery.files).toEqual([
      { path: "logo.bin", added: 0, removed: 0 },
      { path: "own.txt", added: 1, removed: 0 },
    ]);
  });

  it("cuts a large diff on a line boundary and says so", async () => {
    const ws = await t.open();
    const lines = Array.from({ length: 5000 }, (_, i) => `line ${i} ${"x".repeat(30)}`);
    await writeFile(join(ws.dir, "big.txt"), `${lines.join("\n")}\n`);

    const delivery = await ws.deliver({ message: "Task t1" });

    expect(delivery.diffTruncated).toBe(true);
    expect(delivery.diff.length).toBeLessThanOrEqual(DIFF_LIMIT);
    expect(delivery.diff.length).toBeGreaterThan(DIFF_LIMIT - 100);
    expect(delivery.diff.endsWith("\n")).toBe(true);
    expect(delivery.files).toEqual([{ path: "big.txt", added: 5000, removed: 0 }]);
  });

  it("remove() leaves no worktree, folder or local branch, and can be called again", async () => {
    const ws = await t.open();
    await writeFile(join(ws.dir, "dirty.txt"), "not delivered\n");
    const mirror = join(
      t.origin.cacheDir,
      "mirrors",
      (await readdir(join(t.origin.cacheDir, "mirrors")))[0]!,
    );

    await ws.remove();
    await ws.remove();

    expect(git(mirror, "worktree", "list")).not.toContain(ws.dir);
    expect(await exists(ws.dir)).toBe(false);
    expect(git(mirror, "branch", "--list", "agentvine/*")).toBe("");
  });

  it("replaces a stale checkout of the same task (a retried work order)", async () => {
    const stale = await t.open();
    await commitFile(stale.dir, "half-done.txt", "from the first attempt\n", "First attempt");
    await stale.deliver({ message: "First attempt" });
    const newer = await t.origin.commit("later.txt", "later\n");

    const retry = await new Workspaces({ cacheDir: t.origin.cacheDir }).open(
      { taskId: "t1", repositoryUrl: t.origin.url, branchName: "main" },
      signal(),
    );
    expect(retry.dir).toBe(stale.dir);
    expect(retry.baseSha).toBe(newer);
    expect(await exists(join(retry.dir, "half-done.txt"))).toBe(false);
    // The retry's result replaces the branch the first attempt pushed.
    await writeFile(join(retry.dir, "done.txt"), "second attempt\n");
    const delivery = await retry.deliver({ message: "Second attempt" });
    expect(delivery.pushError).toBeUndefined();
    expect(git(t.origin.origin, "rev-parse", "refs/heads/agentvine/t1")).toBe(delivery.commitSha);
    expect(delivery.files.map((f) => f.path)).toEqual(["done.txt"]);
  });
});
