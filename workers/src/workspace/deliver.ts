import { type Git, GitFailed } from "./git.ts";
import { AUTHOR_ENV } from "./git-env.ts";

export interface ChangedFile {
  path: string;
  added: number;
  removed: number;
}

export interface Delivery {
  branch: string;
  commitSha: string;
  files: ChangedFile[];
  /** The unified diff from the base commit, cut at DIFF_LIMIT characters. */
  diff: string;
  diffTruncated: boolean;
  /** Why the push failed (refused by the remote, no credential...); absent when it went through. */
  pushError?: string;
}

export interface DeliverTarget {
  git: Git;
  /** The worktree. */
  dir: string;
  branch: string;
  baseSha: string;
  /** What the remote's task branch held when the workspace opened ("" for none): the push may replace only that. */
  leaseSha: string;
  /** Runs a job alone on the mirror (the push updates its refs). */
  exclusive<T>(job: () => Promise<T>): Promise<T>;
}

export const DIFF_LIMIT = 60_000;
// Bytes enough for DIFF_LIMIT characters of any UTF-8 text; git is stopped past it.
const DIFF_BYTES = DIFF_LIMIT * 4;

/** Commits everything in the worktree (if anything changed), pushes the task branch and describes the change. */
export const deliver = async (
  target: DeliverTarget,
  { message, signal }: { message: string; signal?: AbortSignal },
): Promise<Delivery> => {
  const { git, dir, branch, baseSha } = target;
  await git(dir, ["add", "--all"], { signal });
  const staged = await git(dir, ["diff", "--cached", "--quiet"], { signal, okCodes: [0, 1] });
  if (staged.code === 1) {
    // --no-verify: hooks a project installs (husky's via `npm install`) must not block delivery.
    await git(dir, ["commit", "--quiet", "--no-verify", "--no-gpg-sign", "-m", message], {
      signal,
      env: AUTHOR_ENV,
    });
  }
  const commitSha = (await git(dir, ["rev-parse", "HEAD"], { signal })).stdout.trim();
  const pushError = await target.exclusive(() => push(target, signal));
  const range = [baseSha, commitSha];
  const files = parseNumstat(
    (await git(dir, ["diff", "--numstat", "-z", "--no-renames", ...range, "--"], { signal })).stdout,
  );
  const { diff, diffTruncated } = bounded(
    await git(dir, ["diff", "--no-color", "--no-ext-diff", "--no-textconv", "--no-renames", ...range, "--"], {
      signal,
      maxStdout: DIFF_BYTES,
    }),
  );
  return { branch, commitSha, files, diff, diffTruncated, ...(pushError ? { pushError } : {}) };
};

/** A refused push is an outcome to report, not a failure of the task. */
const push = async ({ git, dir, branch, leaseSha }: DeliverTarget, signal?: AbortSignal) => {
  const ref = `refs/heads/${branch}`;
  try {
    // A retried work order replaces the branch its earlier attempt pushed, and nothing else.
    await git(
      dir,
      ["push", "--no-verify", `--force-with-lease=${ref}:${leaseSha}`, "origin", `${ref}:${ref}`],
      {
        signal,
      },
    );
    return undefined;
  } catch (error) {
    if (error instanceof GitFailed) return error.reason;
    throw error;
  }
};

/** `added\tremoved\tpath\0` per file; a binary file's "-" counts are 0. */
export const parseNumstat = (stdout: string): ChangedFile[] =>
  stdout
    .split("\0")
    .filter(Boolean)
    .map((record) => {
      const [added = "", removed = "", ...path] = record.split("\t");
      return { path: path.join("\t"), added: Number(added) || 0, removed: Number(removed) || 0 };
    });

const bounded = ({ stdout, truncated }: { stdout: string; truncated: boolean }) => {
  if (!truncated && stdout.length <= DIFF_LIMIT) return { diff: stdout, diffTruncated: false };
  const cut = stdout.slice(0, DIFF_LIMIT);
  // End on a whole line, so a diff viewer never shows half of one.
  const lastLine = cut.lastIndexOf("\n");
  return { diff: lastLine > 0 ? cut.slice(0, lastLine + 1) : cut, diffTruncated: true };
};
