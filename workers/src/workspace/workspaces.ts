import { rm } from "node:fs/promises";
import { join } from "node:path";
import { log } from "@agentvine/core/log";
import { type Delivery, deliver } from "./deliver.ts";
import { createGit, type Git, GitFailed } from "./git.ts";
import { gitEnv } from "./git-env.ts";
import {
  ensureMirror,
  fetchMirror,
  mirrorDirFor,
  remoteBranches,
  remoteBranchSha,
  remoteDefaultBranch,
} from "./mirror.ts";
import { redactUrls } from "./redact.ts";
import { createSerial } from "./serial.ts";
import { importBundle, snapshotWorktree, undoWip, type WorkspaceSnapshot } from "./snapshot.ts";
import { WorkspaceUnavailable } from "./unavailable.ts";

export interface WorkspacesOptions {
  /** The worker's cache folder: mirrors/ and worktrees/ go inside it. */
  cacheDir: string;
  /**
   * The environment git starts from, where the operator's credentials are (GIT_ASKPASS, a credential
   * helper in HOME's git config...); default: this process's, as any child would inherit.
   */
  env?: NodeJS.ProcessEnv;
  /** The longest one git call may take (a first fetch of a large repository); default 10 minutes. */
  timeoutMs?: number;
}

export interface OpenRequest {
  taskId: string;
  repositoryUrl: string;
  /** null or absent: the remote's default branch. */
  branchName?: string | null;
}

/** A task's checkout on its own branch, agentvine/<task id>, made from the base branch. */
export interface Workspace {
  dir: string;
  branch: string;
  baseSha: string;
  deliver(request: { message: string; signal?: AbortSignal }): Promise<Delivery>;
  /** Commits what is uncommitted (work in progress) and packs the branch to restore elsewhere. */
  snapshot(signal?: AbortSignal): Promise<WorkspaceSnapshot>;
  /** Removes the checkout and its local branch; idempotent. */
  remove(): Promise<void>;
}

/** The branch a task's work is committed and pushed on. */
export const taskBranch = (taskId: string) => `agentvine/${taskId}`;

// A task id becomes a folder and a branch name: nothing that could climb out of either.
const TASK_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;

/**
 * The branch to start from when the remote's HEAD names none: its only branch. A bare
 * repository made with `git init --bare` keeps HEAD on its initial branch name (`master`) even
 * when only `main` was pushed; with several branches the task must name one.
 */
const onlyBranch = async (git: Git, mirror: string, shown: string, signal: AbortSignal) => {
  const branches = await remoteBranches(git, mirror, signal);
  if (branches.length === 1) return branches[0] as string;
  if (!branches.length)
    throw new WorkspaceUnavailable(`repository ${shown} has no default branch (is it empty?)`);
  throw new WorkspaceUnavailable(
    `repository ${shown} has no default branch (its HEAD names no branch it has): set the task's branchName (it has ${branches.slice(0, 10).join(", ")}${branches.length > 10 ? ", …" : ""})`,
  );
};

export class Workspaces {
  readonly #cacheDir: string;
  readonly #git: Git;
  readonly #exclusive = createSerial();

  constructor({ cacheDir, env = process.env, timeoutMs = 10 * 60_000 }: WorkspacesOptions) {
    this.#cacheDir = cacheDir;
    this.#git = createGit(gitEnv(env), timeoutMs);
  }

  /** Fetches the repository into its mirror and checks out a new task branch; WorkspaceUnavailable when it cannot. */
  open({ taskId, repositoryUrl, branchName }: OpenRequest, signal: AbortSignal): Promise<Workspace> {
    const shown = redactUrls(repositoryUrl);
    return this.#checkout({ taskId, repositoryUrl }, signal, async ({ git, mirror, dir, branch, ready }) => {
      // The default branch is asked of the remote while the mirror fetches: both stand between a claim and the agent.
      const [fetched, named] = await Promise.allSettled([
        ready,
        branchName ??
          unavailableUnlessAborted(signal, `repository ${shown} could not be fetched`, () =>
            remoteDefaultBranch(git, mirror, signal),
          ),
      ]);
      if (fetched.status === "rejected") throw fetched.reason;
      if (named.status === "rejected") throw named.reason;
      const base = named.value ?? (await onlyBranch(git, mirror, shown, signal));
      const baseSha = await remoteBranchSha(git, mirror, base, signal);
      if (!baseSha)
        throw new WorkspaceUnavailable(`branch ${JSON.stringify(base)} not found in repository ${shown}`);
      await git(mirror, ["worktree", "add", "--quiet", "--no-track", "-B", branch, "--", dir, baseSha], {
        signal,
      });
      return baseSha;
    });
  }

  /**
   * The task branch of a parked run checked out again from its snapshot, with what was
   * uncommitted back as uncommitted, on any worker: the mirror is made and fetched first (the
   * bundle leaves the base out). WorkspaceUnavailable when the repository or the base is gone.
   */
  async restore(
    { taskId, repositoryUrl }: OpenRequest,
    snapshot: WorkspaceSnapshot,
    signal: AbortSignal,
  ): Promise<Workspace> {
    if (snapshot.branch !== taskBranch(taskId))
      throw new Error(`the snapshot holds ${snapshot.branch}, not the branch of task ${taskId}`);
    const scratchDir = this.#scratchDir;
    const workspace = await this.#checkout(
      { taskId, repositoryUrl },
      signal,
      async ({ git, mirror, dir, ready }) => {
        await ready;
        await unavailableUnlessAborted(signal, `the snapshot of task ${taskId} could not be restored`, () =>
          importBundle({ git, mirror, scratchDir }, snapshot, signal),
        );
        await git(mirror, ["worktree", "add", "--quiet", "--", dir, snapshot.branch], { signal });
        return snapshot.baseSha;
      },
    );
    await undoWip(this.#git, workspace.dir, signal);
    return workspace;
  }

  get #scratchDir() {
    return join(this.#cacheDir, "bundles");
  }

  /**
   * What open and restore share, alone on the mirror: the mirror made and fetched and a stale
   * checkout of the task removed (a retried or resumed work order on this machine finds its
   * earlier one), both `ready`; then `checkout` makes the worktree and returns its base commit.
   * The remote's task branch is read too: the push may replace only that.
   */
  async #checkout(
    { taskId, repositoryUrl }: { taskId: string; repositoryUrl: string },
    signal: AbortSignal,
    checkout: (step: {
      git: Git;
      mirror: string;
      dir: string;
      branch: string;
      ready: Promise<unknown>;
    }) => Promise<string>,
  ): Promise<Workspace> {
    if (!TASK_ID.test(taskId)) throw new Error(`task id ${JSON.stringify(taskId)} cannot name a workspace`);
    const git = this.#git;
    const mirror = mirrorDirFor(this.#cacheDir, repositoryUrl);
    const exclusive = <T>(job: () => Promise<T>) => this.#exclusive(mirror, job);
    const dir = join(this.#cacheDir, "worktrees", taskId);
    const branch = taskBranch(taskId);
    const shown = redactUrls(repositoryUrl);

    const { baseSha, leaseSha } = await exclusive(async () => {
      await ensureMirror(git, mirror, repositoryUrl, signal);
      // Both settle before `ready` does, so no git call outlives this exclusive step.
      const ready = Promise.allSettled([
        unavailableUnlessAborted(signal, `repository ${shown} could not be fetched`, () =>
          fetchMirror(git, mirror, signal),
        ),
        rm(dir, { recursive: true, force: true }).then(() => git(mirror, ["worktree", "prune"], { signal })),
      ]).then((settled) => {
        for (const result of settled) if (result.status === "rejected") throw result.reason;
      });
      const baseSha = await checkout({ git, mirror, dir, branch, ready });
      const leaseSha = await remoteBranchSha(git, mirror, branch, signal);
      return { baseSha, leaseSha: leaseSha ?? "" };
    });

    let removed: Promise<void> | undefined;
    return {
      dir,
      branch,
      baseSha,
      deliver: (request) => deliver({ git, dir, branch, baseSha, leaseSha, exclusive }, request),
      snapshot: (snapshotSignal) =>
        snapshotWorktree({ git, dir, branch, baseSha, scratchDir: this.#scratchDir }, snapshotSignal),
      remove: () => {
        removed ??= exclusive(() => removeWorktree(git, mirror, dir, branch));
        return removed;
      },
    };
  }
}

/** git's failure to reach the repository becomes WorkspaceUnavailable; an abort stays an abort. */
const unavailableUnlessAborted = async <T>(signal: AbortSignal, what: string, call: () => Promise<T>) => {
  try {
    return await call();
  } catch (error) {
    if (signal.aborted || !(error instanceof GitFailed)) throw error;
    throw new WorkspaceUnavailable(`${what}: ${error.reason}`);
  }
};

/** Each step on its own, so one failing does not leave the others undone. */
const removeWorktree = async (git: Git, mirror: string, dir: string, branch: string) => {
  const steps = [
    () => git(mirror, ["worktree", "remove", "--force", "--", dir]),
    () => rm(dir, { recursive: true, force: true }),
    () => git(mirror, ["worktree", "prune"]),
    () => git(mirror, ["branch", "--quiet", "-D", "--", branch]),
  ];
  for (const step of steps) {
    await step().catch((error: unknown) =>
      log.warn({ err: error, dir }, "a step removing a workspace failed"),
    );
  }
};
