import type { ChatMessageInfo } from "@agentvine/client";
import { type FormEvent, type KeyboardEvent, useId } from "react";
import type { Decision, Reply } from "./use-reply.ts";

const DECISIONS: [Decision, string, string][] = [
  ["allow", "Allow", "primary"],
  ["deny", "Deny", "danger"],
];

/**
 * The answer box. For a question, Enter sends the answer; for an approval, Allow and Deny sit
 * beside the box and whatever is typed goes with the decision (the agent reads it on a denial).
 */
export const ChatComposer = ({
  reply,
  target,
  openCount,
  textareaRef,
}: {
  reply: Reply;
  target: ChatMessageInfo | null;
  openCount: number;
  textareaRef: React.RefObject<HTMLTextAreaElement | null>;
}) => {
  const id = useId();
  const approval = target?.kind === "approval" ? target : null;
  const { text, error, pending } = reply;

  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    if (!approval) reply.answer(target);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    // An approval is decided with its buttons only: Enter must not pick Allow or Deny for you.
    if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing && !approval) {
      e.preventDefault();
      submit();
    }
  };

  const of = openCount > 1 ? ` (1 of ${openCount} open)` : "";
  return (
    <form className="composer" onSubmit={submit}>
      <p className="composer-context small">
        {approval ? (
          <>
            Approval requested{of}: <code>{approval.tool}</code> <q>{approval.message.slice(0, 140)}</q>
          </>
        ) : target ? (
          <>
            Answering{of}: <q>{target.message.slice(0, 140)}</q>
          </>
        ) : (
          <span className="muted">No open question: what you send is posted as a note.</span>
        )}
      </p>
      <div className="composer-row">
        <label htmlFor={id} className="visually-hidden">
          Message
        </label>
        <textarea
          id={id}
          ref={textareaRef}
          value={text}
          onChange={(e) => reply.setText(e.target.value)}
          onKeyDown={onKeyDown}
          rows={2}
          placeholder={
            approval
              ? "Optional reason, sent with your decision"
              : target
                ? "Your answer — Enter sends, Shift+Enter adds a line"
                : "A note for the worker"
          }
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
        />
        {approval ? (
          DECISIONS.map(([decision, text, className]) => (
            <button
              key={decision}
              type="button"
              className={className}
              disabled={pending}
              onClick={() => reply.decide(approval, decision)}
            >
              {text}
            </button>
          ))
        ) : (
          <button type="submit" className="primary" disabled={pending || !text.trim()}>
            Send
          </button>
        )}
      </div>
      {error && (
        <p className="field-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      )}
    </form>
  );
};
