import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { commitFile, eachOrigin, exists, git, signal } from "./git-fixture.ts";
import { WIP_SUBJECT } from "./snapshot.ts";
import { WorkspaceUnavailable } from "./unavailable.ts";
import { Workspaces } from "./workspaces.ts";

const t = eachOrigin();

/** Another worker: a cache folder of its own, with no mirror of the repository yet. */
const otherWorker = async () =>
  new Workspaces({ cacheDir: await mkdtemp(join(t.origin.root, "other-worker-")) });
const request = (taskId = "t1") => ({ taskId, repositoryUrl: t.origin.url, branchName: "main" });

describe("a workspace parked and restored", () => {
  it("moves the agent's commits and uncommitted work to another worker, and delivers them without the WIP commit", async () => {
    const parked = await t.open();
    await commitFile(parked.dir, "own.txt", "committed by the agent\n", "Agent's commit");
    await writeFile(join(parked.dir, "README.md"), "# Seed, edited\n");
    await writeFile(join(parked.dir, "new.txt"), "untracked\n");

    const snapshot = await parked.snapshot();

    expect(snapshot).toMatchObject({ branch: "agentvine/t1", baseSha: t.origin.firstSha });
    expect(git(parked.dir, "log", "-1", "--format=%an <%ae>|%s")).toBe(
      `AgentVine <agentvine@localhost>|${WIP_SUBJECT}`,
    );
    expect(git(parked.dir, "status", "--porcelain")).toBe("");
    await parked.remove();

    const restored = await (await otherWorker()).restore(request(), snapshot, signal());

    expect(restored).toMatchObject({ branch: "agentvine/t1", baseSha: t.origin.firstSha });
    expect(await readFile(join(restored.dir, "new.txt"), "utf8")).toBe("untracked\n");
    expect(await readFile(join(restored.dir, "README.md"), "utf8")).toBe("# Seed, edited\n");
    // The WIP commit is taken off: what it held is uncommitted again, the agent's own commit stays.
    expect(git(restored.dir, "log", "--format=%s", `${t.origin.firstSha}..HEAD`)).toBe("Agent's commit");
    expect(git(restored.dir, "status", "--porcelain")).toBe("M  README.md\nA  new.txt");

    const delivery = await restored.deliver({ message: "Task t1" });
    expect(delivery.pushError).toBeUndefined();
    expect(git(t.origin.origin, "log", "--format=%s", `${t.origin.firstSha}..agentvine/t1`)).toBe(
      "Task t1\nAgent's commit",
    );
    expect(delivery.files.map((f) => f.path)).toEqual(["README.md", "new.txt", "own.txt"]);
  });

  it("packs only what the agent changed: the base stays out of the bundle", async () => {
    const big = Array.from({ length: 20_000 }, (_, i) => `line ${i} ${"x".repeat(40)}`).join("\n");
    await t.origin.commit("big.txt", big);
    const parked = await t.open();
    await writeFile(join(parked.dir, "small.txt"), "small\n");

    const { bundle } = await parked.snapshot();

    expect(bundle.byteLength).toBeLessThan(2_000);
  });

  it("restores a run that changed nothing as the base commit", async () => {
    const parked = await t.open();
    const snapshot = await parked.snapshot();
    await parked.remove();

    const restored = await t.workspaces.restore(request(), snapshot, signal());

    expect(git(restored.dir, "rev-parse", "HEAD")).toBe(t.origin.firstSha);
    expect(git(restored.dir, "status", "--porcelain")).toBe("");
    expect((await restored.deliver({ message: "Task t1" })).commitSha).toBe(t.origin.firstSha);
  });

  it("replaces a leftover checkout of the task on the same worker", async () => {
    const parked = await t.open();
    await writeFile(join(parked.dir, "saved.txt"), "saved\n");
    const snapshot = await parked.snapshot();
    await writeFile(join(parked.dir, "after.txt"), "written after the snapshot\n");

    const restored = await t.workspaces.restore(request(), snapshot, signal());

    expect(restored.dir).toBe(parked.dir);
    expect(await exists(join(restored.dir, "saved.txt"))).toBe(true);
    expect(await exists(join(restored.dir, "after.txt"))).toBe(false);
  });

  it("fails as unavailable when the repository no longer holds the snapshot's base", async () => {
    await t.origin.commit("later.txt", "later\n");
    const snapshot = await (await t.open()).snapshot();
    // The base is force-pushed away and collected on the remote.
    git(t.origin.origin, "update-ref", "refs/heads/main", t.origin.firstSha);
    git(t.origin.origin, "gc", "--quiet", "--prune=now");

    const restoring = (await otherWorker()).restore(request(), snapshot, signal());

    await expect(restoring).rejects.toThrow(WorkspaceUnavailable);
    await expect(restoring).rejects.toThrow(/the snapshot of task t1 could not be restored: .*prerequisite/);
  });

  it("refuses a snapshot of another task's branch", async () => {
    const snapshot = await (await t.open("t1")).snapshot();
    await expect(t.workspaces.restore(request("t2"), snapshot, signal())).rejects.toThrow(
      "the snapshot holds agentvine/t1, not the branch of task t2",
    );
  });
});
