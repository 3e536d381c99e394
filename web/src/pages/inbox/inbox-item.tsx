import { type KeyboardEvent, useId } from "react";
import { ApprovalTag } from "../../components/badge.tsx";
import { readableInput } from "../../components/chat-message.tsx";
import { TaskLink, WorkerName } from "../../components/refs.tsx";
import type { Reply } from "../../components/use-reply.ts";
import { formatDuration } from "../../lib/time.ts";
import type { InboxItem } from "./inbox-items.ts";

export interface ItemActions {
  select: () => void;
  allow: () => void;
  deny: () => void;
  allowAll: () => void;
  openReply: () => void;
  closeReply: () => void;
}

/**
 * One open request: what is asked, for which task, by which worker, for how long. Selected, it
 * is the one the keys act on; a question being answered holds the reply box.
 */
export const InboxEntry = ({
  item: q,
  selected,
  replying,
  reply,
  busy,
  now,
  actions,
}: {
  item: InboxItem;
  selected: boolean;
  /** Its reply box is open (a selected question only). */
  replying: boolean;
  /** The selected request's reply: its text, sending state and error. */
  reply: Reply | null;
  busy: boolean;
  now: number;
  actions: ItemActions;
}) => {
  const id = useId();
  const approval = q.kind === "approval";
  const others = q.identical.length;
  return (
    <li
      className={`inbox-item${selected ? " selected" : ""}`}
      data-id={q.requestId}
      tabIndex={selected ? 0 : -1}
      aria-current={selected ? "true" : undefined}
      aria-labelledby={`${id}-what`}
      aria-describedby={`${id}-meta`}
      aria-keyshortcuts={approval ? "a d A" : "Enter"}
      onFocus={(e) => e.target === e.currentTarget && actions.select()}
    >
      <p className="inbox-meta" id={`${id}-meta`}>
        {approval ? <ApprovalTag tool={q.tool} /> : <span className="badge badge-question">Question</span>}{" "}
        <span>
          task <TaskLink id={q.taskId} />
        </span>{" "}
        <span>
          worker <WorkerName id={q.workerId} />
        </span>{" "}
        <span className="waiting">
          waiting <time dateTime={q.createdAt}>{formatDuration(now - Date.parse(q.createdAt))}</time>
        </span>
        {others > 1 && <span className="muted"> · {others} identical requests open</span>}
      </p>
      <p className="inbox-what" id={`${id}-what`}>
        {q.message}
      </p>
      {approval && q.input && <pre className="approval-input">{readableInput(q.input)}</pre>}
      <div className="inbox-actions">
        {approval ? (
          <>
            <button type="button" className="primary" disabled={busy} onClick={actions.allow}>
              Allow
            </button>
            <button type="button" className="danger" disabled={busy} onClick={actions.deny}>
              Deny
            </button>
            {others > 1 && (
              <button type="button" disabled={busy} onClick={actions.allowAll}>
                Allow all {others} identical
              </button>
            )}
          </>
        ) : (
          !replying && (
            <button type="button" onClick={actions.openReply}>
              Reply
            </button>
          )
        )}
      </div>
      {replying && reply && (
        <ReplyBox
          reply={reply}
          target={{ id: q.requestId, conversationId: q.conversationId }}
          onClose={actions.closeReply}
        />
      )}
      {selected && reply?.error && (
        <p className="field-error" role="alert">
          {reply.error}
        </p>
      )}
    </li>
  );
};

/** The answer to a question: Enter sends, Shift+Enter adds a line, Escape puts it away. */
const ReplyBox = ({
  reply,
  target,
  onClose,
}: {
  reply: Reply;
  target: { id: string; conversationId: string };
  onClose: () => void;
}) => {
  const id = useId();
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === "Escape") {
      e.preventDefault();
      onClose();
    } else if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      reply.answer(target);
    }
  };
  return (
    <form
      className="inbox-reply"
      onSubmit={(e) => {
        e.preventDefault();
        reply.answer(target);
      }}
    >
      <label htmlFor={id}>Your answer</label>
      <textarea
        id={id}
        // biome-ignore lint/a11y/noAutofocus: the box opens on the person's Enter, to be typed in at once
        autoFocus
        rows={2}
        value={reply.text}
        onChange={(e) => reply.setText(e.target.value)}
        onKeyDown={onKeyDown}
        placeholder="Enter sends, Shift+Enter adds a line, Escape cancels"
      />
      <div className="inbox-actions">
        <button type="submit" className="primary" disabled={reply.pending || !reply.text.trim()}>
          Send
        </button>
        <button type="button" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
};
