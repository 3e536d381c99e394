import { execFileSync } from "node:child_process";
import { access, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach } from "vitest";
import { gitEnv } from "./git-env.ts";
import { type Workspace, Workspaces } from "./workspaces.ts";

const env = {
  ...gitEnv(process.env),
  GIT_AUTHOR_NAME: "Seed",
  GIT_AUTHOR_EMAIL: "seed@example.com",
  GIT_COMMITTER_NAME: "Seed",
  GIT_COMMITTER_EMAIL: "seed@example.com",
};

/** A signal nobody aborts. */
export const signal = () => new AbortController().signal;

export const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/** git in a test's own repositories (not the code under test). */
export const git = (cwd: string, ...args: string[]) =>
  execFileSync("git", args, { cwd, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();

/** Writes a file and commits it in a checkout (the seed clone, or a workspace as its agent would). */
export const commitFile = async (dir: string, file: string, content: string, message = `Add ${file}`) => {
  await writeFile(join(dir, file), content);
  git(dir, "add", "--all");
  git(dir, "commit", "--quiet", "--no-gpg-sign", "-m", message);
  return git(dir, "rev-parse", "HEAD");
};

/**
 * A temp folder holding a bare `origin.git` with one commit (README.md) on `main`, a clone to
 * push more commits from, and a cache folder for the Workspaces under test.
 */
export const createOrigin = async () => {
  const root = await mkdtemp(join(tmpdir(), "agentvine-ws-"));
  const origin = join(root, "origin.git");
  const seed = join(root, "seed");
  git(root, "init", "--quiet", "--bare", "--initial-branch=main", origin);
  git(root, "init", "--quiet", "--initial-branch=main", seed);
  const commit = async (file: string, content: string, branch = "main") => {
    const sha = await commitFile(seed, file, content);
    git(seed, "push", "--quiet", origin, `HEAD:refs/heads/${branch}`);
    return sha;
  };
  const firstSha = await commit("README.md", "# Seed\n");
  return {
    root,
    origin,
    url: `file://${origin}`,
    cacheDir: join(root, "cache"),
    firstSha,
    commit,
    /** Switches the seed clone to a new branch from its current commit. */
    branch: (name: string) => git(seed, "checkout", "--quiet", "-b", name),
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
};
export type Origin = Awaited<ReturnType<typeof createOrigin>>;

/** A fresh origin and Workspaces for each test (deleted after it), and a shortcut to open a task on it. */
export const eachOrigin = () => {
  const current = {} as {
    origin: Origin;
    workspaces: Workspaces;
    open(taskId?: string, branchName?: string | null): Promise<Workspace>;
  };
  beforeEach(async () => {
    const origin = await createOrigin();
    const workspaces = new Workspaces({ cacheDir: origin.cacheDir });
    const open = (taskId = "t1", branchName: string | null = "main") =>
      workspaces.open({ taskId, repositoryUrl: origin.url, branchName }, new AbortController().signal);
    Object.assign(current, { origin, workspaces, open });
  });
  afterEach(() => current.origin?.cleanup());
  return current;
};
