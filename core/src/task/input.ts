import { z } from "zod";
import { AGENTS, PERMISSION_MODES, TASK_TYPES } from "../db/enums.ts";
import { PRIORITIES } from "../resources.ts";

/**
 * What creating a task takes. A module of its own, importing only zod and constants, because
 * the web UI validates its form with this very schema and must not bundle the data layer.
 */

// A git branch name as `git check-ref-format --branch` would mostly accept it.
// No leading "-" either: the name is passed to git, which would read it as an option.
const BRANCH = /^(?![/-]|.*(?:\.\.|\/\/|@\{|\.lock$|\/$|\.$))[A-Za-z0-9._/-]+$/;

// git's scp-like form, user@host:path (git@github.com:acme/web.git). Not "host://...", and the
// path does not start with "-", which git would read as an option.
const SCP = /^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:(?!\/\/|-)[^\s]+$/;
const PROTOCOLS = ["https:", "http:", "ssh:", "git:", "file:"];

/** Why a repository URL is refused, or null when git can fetch it and it carries no secret. */
const repositoryProblem = (value: string): string | null => {
  if (SCP.test(value)) return null;
  const url = URL.canParse(value) ? new URL(value) : null;
  if (!url || !PROTOCOLS.includes(url.protocol))
    return "repositoryUrl must be an https, http, ssh, git@host:path or file:/// URL";
  // The URL is stored and shown: a token in it would leak. Over http(s) a user name is a token
  // too (https://<token>@github.com); over ssh it is the account (ssh://git@host/...).
  const web = url.protocol === "https:" || url.protocol === "http:";
  if (url.password || (web && url.username)) return "repositoryUrl must not contain credentials";
  if (url.protocol === "file:" && (url.host || !value.startsWith("file:///")))
    return "repositoryUrl must be file:///absolute/path for a local repository";
  if (url.protocol !== "file:" && !url.hostname) return "repositoryUrl has no host";
  return null;
};

const RepositoryUrl = z
  .string()
  .trim()
  .max(2048)
  .superRefine((value, ctx) => {
    const problem = repositoryProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

// What a model id looks like across providers: claude-sonnet-4-5, us.anthropic.claude-...:0, org/model@v.
const MODEL = /^[A-Za-z0-9._:@/-]+$/;

export const CreateTaskInput = z.object({
  title: z.string().trim().min(1, "title is required").max(200),
  description: z.string().max(20_000).default(""),
  taskType: z.enum(TASK_TYPES).default("feature"),
  priority: z.enum(PRIORITIES).default("normal"),
  repositoryUrl: RepositoryUrl.optional(),
  branchName: z.string().max(255).regex(BRANCH, "branchName is not a valid git branch name").optional(),
  /** Absent: the deployment's default agent (AGENTVINE_DEFAULT_AGENT), chosen when the task is stored. */
  agent: z.enum(AGENTS).optional(),
  model: z.string().min(1).max(100).regex(MODEL, "model may hold letters, digits and . _ : @ / -").optional(),
  permissionMode: z.enum(PERMISSION_MODES).default("ask"),
  maxTurns: z.number().int("maxTurns must be a whole number").min(1).max(500).optional(),
  maxBudgetUsd: z.number().positive("maxBudgetUsd must be above 0").max(1000).optional(),
});
export type CreateTaskInput = z.input<typeof CreateTaskInput>;
