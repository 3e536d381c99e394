import type { RequestKind } from "../db/enums.ts";
import { kindOf, type Rule } from "./rule.ts";

/** What the rules can see of a request and its task. */
export interface RequestFacts {
  kind: RequestKind;
  /** A question's text, or an approval's JSON input. */
  text: string;
  tool?: string | undefined;
  taskType: string;
  repository?: string | undefined;
}

/** Where a request goes: the rule that decided (null: no rule matched, so a person decides). */
export type Route = { rule: Rule; action: Rule["then"] } | { rule: null; action: "human" };

const matches = (rule: Rule, request: RequestFacts) => {
  const { when } = rule;
  const kind = kindOf(rule);
  return (
    (kind === undefined || kind === request.kind) &&
    (when.tool === undefined || when.tool === request.tool) &&
    (when.taskType === undefined || when.taskType === request.taskType) &&
    (when.repository === undefined || when.repository === request.repository) &&
    (when.match === undefined || new RegExp(when.match).test(request.text))
  );
};

/** The policy engine: the first rule that matches decides; none does, a person decides. */
export const evaluate = (rules: readonly Rule[], request: RequestFacts): Route => {
  const rule = rules.find((r) => matches(r, request));
  return rule ? { rule, action: rule.then } : { rule: null, action: "human" };
};
