import { chmod, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { ExecutionFailed } from "../executor.ts";
import { eachOrigin, git } from "./git-fixture.ts";
import { WorkspaceUnavailable } from "./unavailable.ts";
import { Workspaces } from "./workspaces.ts";

const signal = () => new AbortController().signal;

const t = eachOrigin();

/** An ssh that records its pid and never answers: a remote that hangs. */
const hangingSsh = async () => {
  const pidFile = join(t.origin.root, "ssh.pid");
  const script = join(t.origin.root, "hanging-ssh");
  await writeFile(script, `#!/bin/sh\necho $$ > "${pidFile}"\nexec sleep 300\n`);
  await chmod(script, 0o755);
  const pid = () => readFile(pidFile, "utf8").then((text) => Number(text.trim()));
  return { env: { ...process.env, GIT_SSH: script }, pid };
};

/** Alive and not a zombie waiting to be reaped. */
const running = async (pid: number) => {
  const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
  return status !== "" && !/^State:\s+Z/m.test(status);
};

describe("a workspace that cannot be made", () => {
  it("fails with the reason when the repository does not exist", async () => {
    const missing = join(t.origin.root, "missing.git");
    const opening = t.workspaces.open({ taskId: "t1", repositoryUrl: `file://${missing}` }, signal());
    await expect(opening).rejects.toThrow(WorkspaceUnavailable);
    await expect(opening).rejects.toThrow(ExecutionFailed);
    await expect(opening).rejects.toThrow(
      `repository file://${missing} could not be fetched: fatal: '${missing}' does not appear to be a git repository`,
    );
  });

  it("fails with the reason when the branch does not exist", async () => {
    const opening = t.open("t1", "nope");
    await expect(opening).rejects.toThrow(
      new WorkspaceUnavailable(`branch "nope" not found in repository ${t.origin.url}`),
    );
  });

  it("refuses a branch name that is a revision, not a branch", async () => {
    const opening = t.open("t1", "main~1");
    await expect(opening).rejects.toThrow(WorkspaceUnavailable);
  });

  it("fails when the repository is empty and no branch is named", async () => {
    const empty = join(t.origin.root, "empty.git");
    git(t.origin.root, "init", "--quiet", "--bare", empty);
    await expect(t.workspaces.open({ taskId: "t1", repositoryUrl: empty }, signal())).rejects.toThrow(
      `repository ${empty} has no default branch (is it empty?)`,
    );
  });

  it("starts from the remote's only branch when its HEAD names none; with several, asks for branchName", async () => {
    // `git init --bare` left HEAD on a branch that was never pushed; only main was.
    const dangling = join(t.origin.root, "dangling.git");
    git(t.origin.root, "clone", "--quiet", "--bare", t.origin.origin, dangling);
    git(dangling, "symbolic-ref", "HEAD", "refs/heads/master");
    const ws = await t.workspaces.open({ taskId: "t1", repositoryUrl: dangling }, signal());
    expect(git(ws.dir, "log", "-1", "--format=%s")).toBe(
      git(t.origin.origin, "log", "-1", "--format=%s", "main"),
    );

    git(dangling, "branch", "dev", "main");
    await expect(t.workspaces.open({ taskId: "t2", repositoryUrl: dangling }, signal())).rejects.toThrow(
      new WorkspaceUnavailable(
        `repository ${dangling} has no default branch (its HEAD names no branch it has): set the task's branchName (it has dev, main)`,
      ),
    );
  });

  it("never shows the credentials of a URL", async () => {
    const opening = new Workspaces({ cacheDir: t.origin.cacheDir, timeoutMs: 5000 }).open(
      { taskId: "t1", repositoryUrl: "https://agent:s3cret-token@127.0.0.1:1/repo.git" },
      signal(),
    );
    const error: Error = await opening.catch((e) => e);
    expect(error).toBeInstanceOf(WorkspaceUnavailable);
    expect(error.message).toMatch(/^repository https:\/\/127\.0\.0\.1:1\/repo\.git could not be fetched: /);
    expect(error.message).not.toContain("s3cret");
  });

  it("refuses a task id that could climb out of the cache folder", async () => {
    await expect(t.open("../etc")).rejects.toThrow("cannot name a workspace");
  });
});

describe("a push the remote refuses", () => {
  it("is reported with the reason; the delivery still describes the commit", async () => {
    const hook = join(t.origin.origin, "hooks", "pre-receive");
    await writeFile(hook, "#!/bin/sh\necho 'branches are protected' >&2\nexit 1\n");
    await chmod(hook, 0o755);
    const ws = await t.open();
    await writeFile(join(ws.dir, "answer.txt"), "Use zod\n");

    const delivery = await ws.deliver({ message: "Task t1" });

    expect(delivery.pushError).toContain("pre-receive hook declined");
    expect(delivery.commitSha).toBe(git(ws.dir, "rev-parse", "HEAD"));
    expect(delivery.files).toEqual([{ path: "answer.txt", added: 1, removed: 0 }]);
    expect(git(t.origin.origin, "branch", "--list", "agentvine/*")).toBe("");
  });
});

describe("stopping git", () => {
  it("runs no git once the signal is aborted", async () => {
    const abort = new AbortController();
    abort.abort(new Error("terminated"));
    await expect(
      t.workspaces.open({ taskId: "t1", repositoryUrl: t.origin.url, branchName: "main" }, abort.signal),
    ).rejects.toThrow("terminated");
    await expect(readdir(join(t.origin.cacheDir, "mirrors"))).resolves.toEqual([]);
  });

  it("kills a hanging fetch and what it started when the signal aborts", async () => {
    const ssh = await hangingSsh();
    const abort = new AbortController();
    const opening = new Workspaces({ cacheDir: t.origin.cacheDir, env: ssh.env }).open(
      { taskId: "t1", repositoryUrl: "ssh://git.invalid/repo.git", branchName: "main" },
      abort.signal,
    );
    const pid = await vi.waitFor(ssh.pid, { timeout: 10_000 });
    expect(await running(pid)).toBe(true);

    abort.abort(new Error("lease lost"));

    await expect(opening).rejects.toThrow("lease lost");
    await vi.waitFor(async () => expect(await running(pid)).toBe(false), { timeout: 5000 });
  });

  it("gives up on a fetch that takes longer than its timeout", async () => {
    const ssh = await hangingSsh();
    const opening = new Workspaces({ cacheDir: t.origin.cacheDir, env: ssh.env, timeoutMs: 300 }).open(
      { taskId: "t1", repositoryUrl: "ssh://git.invalid/repo.git", branchName: "main" },
      signal(),
    );
    await expect(opening).rejects.toThrow(
      new WorkspaceUnavailable(
        "repository ssh://git.invalid/repo.git could not be fetched: timed out after 300 ms",
      ),
    );
    await vi.waitFor(async () => expect(await running(await ssh.pid())).toBe(false), { timeout: 5000 });
  });
});
