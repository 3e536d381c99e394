import type { PolicyRule } from "@agentvine/client";

/** A rule's conditions in words: "approvals of Bash matching /^ls/ on docs tasks". */
export const describeWhen = ({ when, then }: PolicyRule) => {
  const kind =
    when.kind ??
    (then === "allow" || then === "deny" || when.tool ? "approval" : then === "reply" ? "question" : null);
  const parts = [kind ? `${kind}s` : "every request"];
  if (when.tool) parts.push(`of ${when.tool}`);
  if (when.match) parts.push(`matching /${when.match}/`);
  if (when.taskType) parts.push(`on ${when.taskType} tasks`);
  if (when.repository) parts.push(`in ${when.repository}`);
  return parts.join(" ");
};

const ACTION: Record<PolicyRule["then"], string> = {
  human: "ask a person",
  allow: "allow",
  deny: "deny",
  reply: "reply",
  controller: "ask the controller",
};

/** What the rule does, in words, with a reply's text. */
export const describeThen = (rule: PolicyRule) =>
  rule.then === "reply" ? `reply "${rule.reply ?? ""}"` : ACTION[rule.then];

/** The editor's text: parsed, or why it is not a list of rules (the server validates the rest). */
export const parseRules = (text: string): { rules: unknown[] } | { error: string } => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return { error: `Not valid JSON: ${(err as Error).message}` };
  }
  return Array.isArray(parsed) ? { rules: parsed } : { error: "The rules are a JSON list: [ { ... }, ... ]" };
};
