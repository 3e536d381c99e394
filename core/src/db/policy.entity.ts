import { REQUEST_KINDS, RULE_ACTIONS, TASK_TYPES } from "./enums.ts";
import { fields } from "./fields.ts";
import { entity, keyedBy } from "./table.ts";

/** The one item's id: there is one policy per installation. */
export const POLICY_ID = "policy";

export const ruleAttributes = fields({
  id: { type: "string", required: true },
  /** What a request must be for the rule to match; every condition given must hold. */
  when: {
    type: "map",
    properties: {
      kind: { type: REQUEST_KINDS },
      tool: { type: "string" },
      match: { type: "string" },
      taskType: { type: TASK_TYPES },
      repository: { type: "string" },
    },
  },
  then: { type: RULE_ACTIONS, required: true },
  reply: { type: "string" },
  note: { type: "string" },
});

export const policyAttributes = fields({
  id: { type: "string", required: true },
  /** The routing rules, in order: the first that matches a request decides it. */
  rules: { type: "list", required: true, items: { type: "map", properties: ruleAttributes } },
  /** Bumped by each replacement: a write names the version it read (optimistic concurrency). */
  version: { type: "number", required: true },
  updatedAt: { type: "string", required: true },
  /** The name of the token that wrote it. */
  updatedBy: { type: "string", required: true },
});

/** The routing policy: one item, replaced whole. */
export const policyEntity = entity("policy", policyAttributes, { primary: keyedBy("id") });
