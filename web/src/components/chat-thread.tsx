import type { ChatMessageInfo } from "@agentvine/client";
import { useLayoutEffect, useRef, useState } from "react";
import { useMessages } from "../api/queries.ts";
import { useNow } from "../lib/time.ts";
import { ChatComposer } from "./chat-composer.tsx";
import { ChatMessage } from "./chat-message.tsx";
import { useWorkerNames } from "./refs.tsx";
import { useReply } from "./use-reply.ts";

/** Questions and approvals still waiting for a person, oldest first. */
export const openQuestions = (messages: ChatMessageInfo[]) =>
  messages.filter(
    (m) => m.messageType === "request" && m.senderType === "worker" && !m.answeredAt && !m.closedAt,
  );

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
  const reply = useReply(conversationId, scrollToEnd);
  // A decided approval can no longer take focus: the keyboard moves on to the next open one,
  // or to the answer box, rather than falling back to the top of the page.
  const focusNextOpen = (decided: string) => {
    const next = scrollRef.current?.querySelector<HTMLElement>(
      `.msg-open[tabindex]:not([data-id="${decided}"])`,
    );
    (next ?? composerRef.current)?.focus();
  };

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
        {list.map((m) => (
          <ChatMessage
            key={m.id}
            message={m}
            sender={senderLabel(m, names)}
            parent={m.parentMessageId ? byId.get(m.parentMessageId) : undefined}
            answer={m.answerId ? byId.get(m.answerId) : undefined}
            now={now}
            several={open.length > 1}
            onSelect={(focusComposer) => {
              setReplyTo(m.id);
              if (focusComposer) composerRef.current?.focus();
            }}
            onDecide={(decision) => reply.decide(m, decision, () => focusNextOpen(m.id))}
          />
        ))}
      </ol>
      {unseen > 0 && (
        <button type="button" className="new-below" onClick={scrollToEnd}>
          {unseen} new message{unseen === 1 ? "" : "s"} ↓
        </button>
      )}
      <ChatComposer reply={reply} target={target} openCount={open.length} textareaRef={composerRef} />
    </div>
  );
};
