import safeRegex from "safe-regex2";
import { z } from "zod";
import { REQUEST_KINDS, RULE_ACTIONS, type RuleAction, TASK_TYPES } from "../db/enums.ts";

/**
 * A routing rule as admins write it: `when` a request is so (every condition given must hold),
 * `then` do this. The limits keep the whole policy well inside one DynamoDB item (400 KB).
 */
export const MAX_RULES = 100;

const text = (max: number) => z.string().trim().min(1, "is empty").max(max);

export const RuleWhen = z
  .object({
    kind: z.enum(REQUEST_KINDS).optional(),
    /** An approval's tool, exactly (e.g. "Bash"). */
    tool: text(200).optional(),
    /** A JavaScript regular expression, searched in a question's text or an approval's JSON input. */
    match: z.string().min(1, "is empty").max(500).optional(),
    taskType: z.enum(TASK_TYPES).optional(),
    /** The task's repositoryUrl, exactly. */
    repository: text(2000).optional(),
  })
  .strict();

export const Rule = z
  .object({
    id: text(64),
    when: RuleWhen.default({}),
    then: z.enum(RULE_ACTIONS),
    /** The fixed answer of a `reply` rule. */
    reply: text(2000).optional(),
    /** Why the rule is there, for the people reading the policy. */
    note: z.string().max(500).optional(),
  })
  .strict()
  .meta({ id: "PolicyRule" });
export type Rule = z.infer<typeof Rule>;

/** The kind of request an action can decide: allow/deny decide approvals, a reply answers questions. */
const ACTION_KIND: Partial<Record<RuleAction, "question" | "approval">> = {
  allow: "approval",
  deny: "approval",
  reply: "question",
};

/** The kind of request a rule can match: what its action decides, else what it names. */
export const kindOf = (rule: Rule) =>
  ACTION_KIND[rule.then] ?? rule.when.kind ?? (rule.when.tool ? "approval" : undefined);

/**
 * Why a `match` pattern cannot be used, or null. Each request of the kind it routes is searched
 * with it on the API's event loop, so a pattern whose repetitions nest (`(a+)+`), which can take
 * exponential time on a crafted text, is refused with the invalid ones. This check measures star
 * height only: it catches the classic shapes, but it does not prove a pattern safe.
 */
const regexError = (pattern: string) => {
  try {
    new RegExp(pattern);
  } catch (err) {
    return `not a valid regular expression: ${(err as Error).message}`;
  }
  return safeRegex(pattern)
    ? null
    : "its repetitions nest (as in (a+)+), which can take exponential time: flatten it";
};

/** What is wrong with one rule, as [path under the rule, message] pairs. */
const problemsOf = (rule: Rule, earlierIds: Set<string>): [string[], string][] => {
  const problems: [string[], string][] = [];
  const named = `rule "${rule.id}"`;
  if (earlierIds.has(rule.id)) problems.push([["id"], `${named}: another rule has this id`]);
  const fits = ACTION_KIND[rule.then];
  if (fits && rule.when.kind && rule.when.kind !== fits) {
    problems.push([
      ["then"],
      `${named}: ${rule.then} decides ${fits}s, but the rule matches ${rule.when.kind}s`,
    ]);
  }
  if (rule.when.tool && (rule.when.kind ?? fits) === "question")
    problems.push([["when", "tool"], `${named}: only approvals name a tool; questions do not`]);
  if (rule.then === "reply" && rule.reply === undefined)
    problems.push([["reply"], `${named}: a reply rule needs the reply text`]);
  if (rule.then !== "reply" && rule.reply !== undefined)
    problems.push([["reply"], `${named}: only a reply rule has a reply`]);
  const bad = rule.when.match === undefined ? null : regexError(rule.when.match);
  if (bad) problems.push([["when", "match"], `${named}: ${bad}`]);
  return problems;
};

/** The rules of a policy, each checked on its own and against the ones before it. */
export const Rules = z
  .array(Rule)
  .max(MAX_RULES)
  .superRefine((rules, check) => {
    const ids = new Set<string>();
    rules.forEach((rule, i) => {
      for (const [path, message] of problemsOf(rule, ids))
        check.addIssue({ code: "custom", path: [i, ...path], message });
      ids.add(rule.id);
    });
  });
