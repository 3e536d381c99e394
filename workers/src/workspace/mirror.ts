import { createHash, randomBytes } from "node:crypto";
import { access, mkdir, rename, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { Git } from "./git.ts";

/** One bare repository per remote URL, named by the URL's hash (a URL is no folder name). */
export const mirrorDirFor = (cacheDir: string, url: string) =>
  join(cacheDir, "mirrors", createHash("sha256").update(url).digest("hex").slice(0, 16));

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/**
 * Creates the mirror unless it is there. It is built aside and renamed into place, so a crash
 * leaves no half-made mirror and a concurrent creator loses the rename harmlessly.
 */
export const ensureMirror = async (git: Git, dir: string, url: string, signal: AbortSignal) => {
  if (await exists(join(dir, "HEAD"))) return;
  await mkdir(dirname(dir), { recursive: true });
  const building = `${dir}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    await git(dirname(dir), ["init", "--quiet", "--bare", "--", building], { signal });
    await git(building, ["remote", "add", "--", "origin", url], { signal });
    await rename(building, dir);
  } catch (error) {
    if (!(await exists(join(dir, "HEAD")))) throw error;
  } finally {
    await rm(building, { recursive: true, force: true });
  }
};

/**
 * Refreshes the remote's branches into refs/remotes/origin/*, never refs/heads/*: the task
 * branches checked out in worktrees live there, and a push sends one branch only.
 */
export const fetchMirror = (git: Git, dir: string, signal: AbortSignal) =>
  git(dir, ["fetch", "--prune", "--no-tags", "origin", "+refs/heads/*:refs/remotes/origin/*"], { signal });

/** The branch the remote's HEAD names, or null (an empty repository). */
export const remoteDefaultBranch = async (git: Git, dir: string, signal: AbortSignal) => {
  const { stdout } = await git(dir, ["ls-remote", "--symref", "origin", "HEAD"], { signal });
  return /^ref: refs\/heads\/(\S+)\tHEAD$/m.exec(stdout)?.[1] ?? null;
};

/** The branches the last fetch saw on the remote, by name. */
export const remoteBranches = async (git: Git, dir: string, signal: AbortSignal) => {
  const { stdout } = await git(
    dir,
    ["for-each-ref", "--format=%(refname:lstrip=3)", "refs/remotes/origin/"],
    { signal },
  );
  return stdout.split("\n").filter(Boolean);
};

/** The commit the last fetch saw on the remote's `branch`, or null when it has none by that name. */
export const remoteBranchSha = async (git: Git, dir: string, branch: string, signal: AbortSignal) => {
  // show-ref matches the full ref name only: "main~1" or "HEAD" cannot sneak in as a branch.
  const { stdout, code } = await git(
    dir,
    ["show-ref", "--verify", "--hash", `refs/remotes/origin/${branch}`],
    {
      signal,
      okCodes: [0, 1, 128],
    },
  );
  return code === 0 ? stdout.trim() : null;
};
