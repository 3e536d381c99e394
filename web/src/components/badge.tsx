/** A status as a coloured badge; the text is the status itself, so colour is never the only cue. */
export const StatusBadge = ({ status }: { status: string }) => (
  <span className={`badge badge-${status}`}>{status.replace("_", " ")}</span>
);

export const PriorityTag = ({ priority }: { priority: string }) => (
  <span className={`prio prio-${priority}`}>{priority}</span>
);
