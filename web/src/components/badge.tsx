/** A status as a coloured badge; the text is the status itself, so colour is never the only cue. */
export const StatusBadge = ({ status }: { status: string }) => (
  <span className={`badge badge-${status}`}>{status.replace("_", " ")}</span>
);

export const PriorityTag = ({ priority }: { priority: string }) => (
  <span className={`prio prio-${priority}`}>{priority}</span>
);

/** Marks a request that asks to allow a tool call (rather than a question), naming the tool. */
export const ApprovalTag = ({ tool }: { tool: string | null }) => (
  <span className="badge badge-approval">Approval{tool ? `: ${tool}` : ""}</span>
);

/** A completed run that looks like it did nothing (D's `suspicious`): the reason is in the text, not only the tooltip. */
export const SuspiciousTag = ({ reason }: { reason: string }) => (
  <span className="badge badge-suspicious" title={reason}>
    Suspicious<span className="visually-hidden">: {reason}</span>
  </span>
);
