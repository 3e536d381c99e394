import type { ChatMessageInfo } from "@agentvine/core/chat/schema";
import { useQueryClient } from "@tanstack/react-query";
import {
  type FormEvent,
  type KeyboardEvent,
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
} from "react";
import { keys } from "../api/cache.ts";
import { ApiError } from "../api/client.ts";
import { useMessages, useSendMessage } from "../api/queries.ts";
import { formatDuration, stamp, useNow } from "../lib/time.ts";
import { toast } from "../lib/toast.ts";
import { useWorkerNames } from "./refs.tsx";

/** Questions still waiting for a person, oldest first. */
export const openQuestions = (messages: ChatMessageInfo[]) =>
  messages.filter(
    (m) => m.messageType === "request" && m.senderType === "worker" && !m.answeredAt && !m.closedAt,
  );

const KIND: Record<ChatMessageInfo["messageType"], string> = {
  request: "Question",
  response: "Answer",
  status: "Note",
};

/** Who said it, in words: the worker's name, "Operator" for people, "System" for the system. */
export const senderLabel = (m: ChatMessageInfo, workerNames: Map<string, string>) =>
  m.senderType === "worker"
    ? `Worker ${workerNames.get(m.senderId) ?? m.senderId.slice(0, 8)}`
    : m.senderType === "human"
      ? "Operator"
      : "System";

/**
 * Keeps a scroll box pinned to its newest content while the person is at the bottom; when
 * they have scrolled up, new content does not move them and is counted instead.
 */
export const useStickToBottom = (ref: React.RefObject<HTMLElement | null>, count: number) => {
  const atBottom = useRef(true);
  const seen = useRef(0);
  const [unseen, setUnseen] = useState(0);
  const scrollToEnd = () => {
    const el = ref.current;
    if (el) el.scrollTop = el.scrollHeight;
    atBottom.current = true;
    setUnseen(0);
  };
  const onScroll = () => {
    const el = ref.current;
    if (!el) return;
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 48;
    if (atBottom.current) setUnseen(0);
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs per new message; scrollToEnd only reads refs
  useLayoutEffect(() => {
    const added = count - seen.current;
    seen.current = count;
    if (added <= 0) return;
    if (atBottom.current) scrollToEnd();
    else setUnseen((n) => n + added);
  }, [count]);
  return { unseen, onScroll, scrollToEnd };
};

export const ChatThread = ({ conversationId, compact }: { conversationId: string; compact?: boolean }) => {
  const messages = useMessages(conversationId);
  const list = messages.data ?? [];
  const names = useWorkerNames();
  const now = useNow();
  const scrollRef = useRef<HTMLOListElement>(null);
  const { unseen, onScroll, scrollToEnd } = useStickToBottom(scrollRef, list.length);
  const open = openQuestions(list);
  const [replyTo, setReplyTo] = useState<string | null>(null);
  const target = open.find((q) => q.id === replyTo) ?? open[0] ?? null;
  const byId = new Map(list.map((m) => [m.id, m]));
  const composerRef = useRef<HTMLTextAreaElement>(null);

  return (
    <div className={`thread ${compact ? "thread-compact" : ""}`}>
      <ol className="messages" ref={scrollRef} onScroll={onScroll} aria-label="Messages" aria-live="polite">
        {messages.isPending && <li className="empty">Loading messages…</li>}
        {messages.error && (
          <li className="form-error" role="alert">
            Could not load messages: {messages.error.message}
          </li>
        )}
        {!messages.isPending && list.length === 0 && (
          <li className="empty">No messages yet. Questions from the worker appear here as they are asked.</li>
        )}
        {list.map((m) => {
          const parent = m.parentMessageId ? byId.get(m.parentMessageId) : undefined;
          return (
            <li
              key={m.id}
              className={`msg msg-${m.senderType} msg-${m.messageType}${m.messageType === "request" && !m.answeredAt && !m.closedAt ? " msg-open" : ""}`}
              data-sender={m.senderType}
            >
              <div className="msg-head">
                <span className="who">{senderLabel(m, names)}</span>
                <span className="kind">{KIND[m.messageType]}</span>
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
              {m.messageType === "request" && (
                <div className="msg-foot">
                  {m.answeredAt ? (
                    <span className="answered">Answered {stamp(m.answeredAt, now)}</span>
                  ) : m.closedAt ? (
                    <span className="muted">Closed unanswered: {m.closedReason}</span>
                  ) : (
                    <>
                      <span className="waiting">Waiting {formatDuration(now - Date.parse(m.createdAt))}</span>
                      {open.length > 1 && (
                        <button
                          type="button"
                          className="link"
                          onClick={() => {
                            setReplyTo(m.id);
                            composerRef.current?.focus();
                          }}
                        >
                          Answer this one
                        </button>
                      )}
                    </>
                  )}
                </div>
              )}
            </li>
          );
        })}
      </ol>
      {unseen > 0 && (
        <button type="button" className="new-below" onClick={scrollToEnd}>
          {unseen} new message{unseen === 1 ? "" : "s"} ↓
        </button>
      )}
      <Composer
        conversationId={conversationId}
        target={target}
        openCount={open.length}
        textareaRef={composerRef}
        onSent={scrollToEnd}
      />
    </div>
  );
};

const Composer = ({
  conversationId,
  target,
  openCount,
  textareaRef,
  onSent,
}: {
  conversationId: string;
  target: ChatMessageInfo | null;
  openCount: number;
  textareaRef: React.RefObject<HTMLTextAreaElement | null>;
  onSent: () => void;
}) => {
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const send = useSendMessage();
  const qc = useQueryClient();
  const id = useId();

  // A new conversation starts with an empty box.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the reset is what a change of conversationId triggers
  useEffect(() => {
    setText("");
    setError(null);
  }, [conversationId]);

  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    const message = text.trim();
    if (!message || send.isPending) return;
    setError(null);
    send.mutate(
      target
        ? { conversationId, message, messageType: "response", parentMessageId: target.id }
        : { conversationId, message, messageType: "status" },
      {
        onSuccess: () => {
          setText("");
          onSent();
        },
        onError: (err) => {
          if (err instanceof ApiError && err.code === "chat.already_answered") {
            toast({ kind: "info", text: "Someone else answered that question first." });
            void qc.invalidateQueries({ queryKey: keys.messages(conversationId) });
            void qc.invalidateQueries({ queryKey: keys.pending });
          } else {
            setError(err instanceof ApiError && err.fields.message ? err.fields.message : err.message);
          }
        },
      },
    );
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      submit();
    }
  };

  return (
    <form className="composer" onSubmit={submit}>
      <p className="composer-context small">
        {target ? (
          <>
            Answering{openCount > 1 ? ` (1 of ${openCount} open)` : ""}: <q>{target.message.slice(0, 140)}</q>
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
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKeyDown}
          rows={2}
          placeholder={
            target ? "Your answer — Enter sends, Shift+Enter adds a line" : "A note for the worker"
          }
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
        />
        <button type="submit" className="primary" disabled={send.isPending || !text.trim()}>
          Send
        </button>
      </div>
      {error && (
        <p className="field-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      )}
    </form>
  );
};
