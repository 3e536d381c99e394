import type { ChatMessageInfo } from "@agentvine/client";
import type { KeyboardEvent } from "react";
import { decidedByLabel } from "../lib/decided-by.ts";
import { formatDuration, stamp } from "../lib/time.ts";
import type { Decision } from "./use-reply.ts";

const KIND: Record<ChatMessageInfo["messageType"], string> = {
  request: "Question",
  response: "Answer",
  status: "Note",
};

const DECIDED: Record<Decision, string> = { allow: "Allowed", deny: "Denied" };

/** What kind of message it is, in words: an approval request and a decision are named as such. */
const kindLabel = (m: ChatMessageInfo) =>
  m.kind === "approval" ? "Approval" : m.decision ? DECIDED[m.decision] : KIND[m.messageType];

/** The tool's input as sent (a JSON summary), laid out to read; anything else as it came. */
export const readableInput = (input: string) => {
  try {
    return JSON.stringify(JSON.parse(input), null, 2);
  } catch {
    return input;
  }
};

/**
 * One message of a thread. An open approval can take focus: then `a` allows it and `d` denies
 * it (with the answer box's text), and focusing it makes it the one the answer box decides.
 */
export const ChatMessage = ({
  message: m,
  sender,
  parent,
  answer,
  now,
  several,
  onSelect,
  onDecide,
}: {
  message: ChatMessageInfo;
  sender: string;
  parent: ChatMessageInfo | undefined;
  /** The response that answered this request, when loaded. */
  answer: ChatMessageInfo | undefined;
  now: number;
  /** More than one request is open, so each offers to be the one answered. */
  several: boolean;
  onSelect: (focusComposer: boolean) => void;
  onDecide: (decision: Decision) => void;
}) => {
  const open = m.messageType === "request" && !m.answeredAt && !m.closedAt;
  const approval = m.kind === "approval";
  const keys = open && approval;
  // On an answer, and on the request it answered: who decided, when no person did.
  const decidedBy = decidedByLabel(m.decidedBy ?? answer?.decidedBy ?? null);
  const onKeyDown = (e: KeyboardEvent<HTMLLIElement>) => {
    if (e.target !== e.currentTarget || e.metaKey || e.ctrlKey || e.altKey) return;
    const decision = e.key === "a" ? "allow" : e.key === "d" ? "deny" : null;
    if (!decision) return;
    e.preventDefault();
    onDecide(decision);
  };
  return (
    <li
      className={`msg msg-${m.senderType} msg-${m.messageType}${open ? " msg-open" : ""}${approval ? " msg-approval" : ""}`}
      data-sender={m.senderType}
      data-id={m.id}
      {...(keys
        ? {
            tabIndex: 0,
            "aria-keyshortcuts": "a d",
            onFocus: () => onSelect(false),
            onKeyDown,
          }
        : {})}
    >
      <div className="msg-head">
        <span className="who">{sender}</span>
        <span className="kind">{kindLabel(m)}</span>
        {decidedBy && <span className="decided-by">{decidedBy}</span>}
        <time dateTime={m.createdAt} title={m.createdAt}>
          {stamp(m.createdAt, now)}
        </time>
      </div>
      {parent && (
        <blockquote className="quoted" title="In answer to">
          {parent.message.slice(0, 160)}
        </blockquote>
      )}
      <div className="msg-body">{m.message}</div>
      {approval && (
        <div className="approval">
          <span className="small">
            Tool <code className="approval-tool">{m.tool}</code>
          </span>
          {m.input && <pre className="approval-input">{readableInput(m.input)}</pre>}
        </div>
      )}
      {m.messageType === "request" && (
        <div className="msg-foot">
          {m.answeredAt ? (
            answer?.decision ? (
              <span className={`decision decision-${answer.decision}`}>
                {DECIDED[answer.decision]} {stamp(m.answeredAt, now)}
              </span>
            ) : (
              <span className="answered">Answered {stamp(m.answeredAt, now)}</span>
            )
          ) : m.closedAt ? (
            <span className="muted">Closed unanswered: {m.closedReason}</span>
          ) : (
            <>
              <span className="waiting">Waiting {formatDuration(now - Date.parse(m.createdAt))}</span>
              {keys && (
                <span className="muted">
                  <kbd>a</kbd> allows, <kbd>d</kbd> denies when selected
                </span>
              )}
              {several && (
                <button type="button" className="link" onClick={() => onSelect(true)}>
                  Answer this one
                </button>
              )}
            </>
          )}
        </div>
      )}
    </li>
  );
};
