import { DECIDER_TYPES, REQUEST_KINDS } from "./enums.ts";
import { fields } from "./fields.ts";

/** How a decision ended a request: answered, allowed, denied, or passed on to a person. */
export const AUDIT_OUTCOMES = ["answered", "allowed", "denied", "escalated"] as const;

export const auditAttributes = fields({
  id: { type: "string", required: true },
  taskId: { type: "string", required: true },
  requestId: { type: "string", required: true },
  kind: { type: REQUEST_KINDS, required: true },
  /** An approval's tool. */
  tool: { type: "string" },
  decidedBy: {
    type: "map",
    required: true,
    properties: { type: { type: DECIDER_TYPES, required: true }, id: { type: "string", required: true } },
  },
  /** decidedBy.type again, at the top level where an index can sort by it. */
  deciderType: { type: DECIDER_TYPES, required: true },
  outcome: { type: AUDIT_OUTCOMES, required: true },
  /** The answer given, or why the request was escalated. */
  message: { type: "string", required: true },
  /** The response message, when the request was answered. */
  responseId: { type: "string" },
  /** The rule that routed the request, when one did. */
  ruleId: { type: "string" },
  /** Why: the controller's reason, or what made it escalate. */
  reason: { type: "string" },
  createdAt: { type: "string", required: true },
});
