import type { ChatMessageInfo } from "@agentvine/client";

/**
 * Who decided an answer, in words, when it was not a person (their answers read "Operator"
 * already): a policy rule by its id, the controller by its model.
 */
export const decidedByLabel = (decidedBy: ChatMessageInfo["decidedBy"]): string | null => {
  if (decidedBy?.type === "rule") return `Decided by rule "${decidedBy.id}"`;
  if (decidedBy?.type === "controller") return `Decided by the controller (${decidedBy.id})`;
  return null;
};
