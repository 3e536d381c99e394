import { execFileSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gitEnv } from "./git-env.ts";

const env = {
  ...gitEnv(process.env),
  GIT_AUTHOR_NAME: "Seed",
  GIT_AUTHOR_EMAIL: "seed@example.com",
  GIT_COMMITTER_NAME: "Seed",
  GIT_COMMITTER_EMAIL: "seed@example.com",
};

/** git in a test's own repositories (not the code under test). */
export const git = (cwd: string, ...args: string[]) =>
  execFileSync("git", args, { cwd, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();

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
    await writeFile(join(seed, file), content);
    git(seed, "add", "--all");
    git(seed, "commit", "--quiet", "--no-gpg-sign", "-m", `Add ${file}`);
    git(seed, "push", "--quiet", origin, `HEAD:refs/heads/${branch}`);
    return git(seed, "rev-parse", "HEAD");
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
