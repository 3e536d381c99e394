import { randomBytes } from "node:crypto";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Git } from "./git.ts";
import { AUTHOR_ENV } from "./git-env.ts";

/**
 * A task's branch packed to move to another worker (a parked run): a git bundle of its commits
 * since `baseSha`, the last of them a work-in-progress commit of what was uncommitted. The bundle
 * leaves the base out (it is in the repository), so a snapshot weighs what the agent changed.
 */
export interface WorkspaceSnapshot {
  branch: string;
  baseSha: string;
  bundle: Uint8Array;
}

/** The subject of the commit a snapshot puts on top; restore takes it off again. */
export const WIP_SUBJECT = "AgentVine: work in progress (parked)";

/** A scratch file for a bundle: git reads and writes bundles as files. */
const scratchFile = async (scratchDir: string) => {
  await mkdir(scratchDir, { recursive: true });
  return join(scratchDir, `${randomBytes(6).toString("hex")}.bundle`);
};

/**
 * Commits everything in the worktree as one WIP commit (also when nothing changed: the bundle
 * then always has a commit to carry, and restore always takes exactly one off) and bundles the
 * branch from its base.
 */
export const snapshotWorktree = async (
  {
    git,
    dir,
    branch,
    baseSha,
    scratchDir,
  }: { git: Git; dir: string; branch: string; baseSha: string; scratchDir: string },
  signal?: AbortSignal,
): Promise<WorkspaceSnapshot> => {
  await git(dir, ["add", "--all"], { signal });
  await git(dir, ["commit", "--quiet", "--no-verify", "--no-gpg-sign", "--allow-empty", "-m", WIP_SUBJECT], {
    signal,
    env: AUTHOR_ENV,
  });
  const file = await scratchFile(scratchDir);
  try {
    await git(dir, ["bundle", "create", "--quiet", file, `refs/heads/${branch}`, `^${baseSha}`], { signal });
    return { branch, baseSha, bundle: new Uint8Array(await readFile(file)) };
  } finally {
    await rm(file, { force: true });
  }
};

/**
 * Puts the snapshot's branch into the mirror as the local task branch (where a worktree is
 * made from); the mirror must hold the base already (fetched from the remote). Returns the WIP
 * commit's sha.
 */
export const importBundle = async (
  { git, mirror, scratchDir }: { git: Git; mirror: string; scratchDir: string },
  { branch, bundle }: WorkspaceSnapshot,
  signal?: AbortSignal,
) => {
  const file = await scratchFile(scratchDir);
  const ref = `refs/heads/${branch}`;
  try {
    await writeFile(file, bundle);
    await git(mirror, ["fetch", "--quiet", "--no-tags", file, `+${ref}:${ref}`], { signal });
    return (await git(mirror, ["rev-parse", "--verify", ref], { signal })).stdout.trim();
  } finally {
    await rm(file, { force: true });
  }
};

/** Takes the WIP commit off a restored worktree: what it held is back as uncommitted (staged) changes. */
export const undoWip = async (git: Git, dir: string, signal?: AbortSignal) => {
  const subject = (await git(dir, ["log", "-1", "--format=%s"], { signal })).stdout.trim();
  if (subject === WIP_SUBJECT) await git(dir, ["reset", "--quiet", "--soft", "HEAD~1"], { signal });
};
