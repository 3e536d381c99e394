import type { PendingQuestion } from "@agentvine/client";

export interface InboxItem extends PendingQuestion {
  /** The open approvals asking for the same tool with the same input, this one among them, oldest first. */
  identical: string[];
}

/** Approvals are the same request when they name the same tool with the same input. */
const sameRequestKey = (q: PendingQuestion) =>
  q.kind === "approval" ? JSON.stringify([q.tool, q.input]) : null;

const oldestFirst = (a: PendingQuestion, b: PendingQuestion) =>
  a.createdAt === b.createdAt ? (a.requestId < b.requestId ? -1 : 1) : a.createdAt < b.createdAt ? -1 : 1;

/** Every open request, oldest first, each knowing which others one bulk allow would answer with it. */
export const inboxItems = (pending: PendingQuestion[]): InboxItem[] => {
  const sorted = [...pending].sort(oldestFirst);
  const groups = new Map<string, string[]>();
  for (const q of sorted) {
    const key = sameRequestKey(q);
    if (key) groups.set(key, [...(groups.get(key) ?? []), q.requestId]);
  }
  return sorted.map((q) => {
    const key = sameRequestKey(q);
    return { ...q, identical: key ? (groups.get(key) ?? []) : [q.requestId] };
  });
};

/**
 * The item to select: the one selected before while it is still open; once it has gone, the
 * one that took its place (or the last), so the keyboard stays where the person was.
 */
export const pickSelected = (items: InboxItem[], selectedId: string | null, lastIndex: number) => {
  const at = selectedId ? items.findIndex((q) => q.requestId === selectedId) : -1;
  if (at >= 0) return at;
  return items.length === 0 ? -1 : Math.min(Math.max(0, lastIndex), items.length - 1);
};
