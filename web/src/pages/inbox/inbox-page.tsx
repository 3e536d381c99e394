import { useEffect, useRef, useState } from "react";
import { usePending } from "../../api/queries.ts";
import { usePageKeys } from "../../app/shortcuts.ts";
import { useReply } from "../../components/use-reply.ts";
import { useNow } from "../../lib/time.ts";
import { InboxEntry } from "./inbox-item.tsx";
import { type InboxItem, inboxItems, pickSelected } from "./inbox-items.ts";
import { useAllowAll } from "./use-allow-all.ts";

const asRequest = (q: InboxItem) => ({ id: q.requestId, conversationId: q.conversationId });

/**
 * Every open question and approval across all tasks, oldest first, run from the keyboard:
 * j/k select, a allows, d denies, A allows every identical approval, Enter replies to a question.
 * The list follows the realtime events through the pending cache, as the navigation count does.
 */
export const InboxPage = () => {
  const pending = usePending();
  const items = inboxItems(pending.data?.items ?? []);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const lastIndex = useRef(0);
  const index = pickSelected(items, selectedId, lastIndex.current);
  const selected = items[index];
  // The question whose reply box is open: only ever the selected one.
  const [replyingTo, setReplyingTo] = useState<string | null>(null);
  const replying = Boolean(selected) && replyingTo === selected?.requestId;
  const reply = useReply(selected?.conversationId ?? "", () => setReplyingTo(null));
  const { allowAll, pending: allowingAll } = useAllowAll();
  const busy = reply.pending || allowingAll;
  const now = useNow();
  const listRef = useRef<HTMLUListElement>(null);

  useEffect(() => {
    if (index >= 0) lastIndex.current = index;
  });
  // Arriving (by link or by "g then i"), the focus goes to the oldest request; then it follows
  // the selection, unless the person has gone elsewhere (the navigation, a box).
  const arriving = useRef(true);
  const loaded = Boolean(pending.data);
  const focusTo = selected?.requestId;
  useEffect(() => {
    const list = listRef.current;
    const active = document.activeElement;
    if (!loaded || replying) return;
    const arrived = arriving.current;
    arriving.current = false;
    if (!focusTo || !list) return;
    if (arrived || active === document.body || active?.id === "main" || list.contains(active))
      list.querySelector<HTMLElement>(`[data-id="${focusTo}"]`)?.focus();
  }, [loaded, focusTo, replying]);

  const identical = (q: InboxItem) => items.filter((i) => q.identical.includes(i.requestId));
  const actionsFor = (q: InboxItem) => ({
    select: () => setSelectedId(q.requestId),
    allow: () => reply.decide(asRequest(q), "allow"),
    deny: () => reply.decide(asRequest(q), "deny"),
    allowAll: () => void allowAll(identical(q)),
    openReply: () => {
      setSelectedId(q.requestId);
      setReplyingTo(q.requestId);
    },
    closeReply: () => {
      setReplyingTo(null);
      listRef.current?.querySelector<HTMLElement>(`[data-id="${q.requestId}"]`)?.focus();
    },
  });

  usePageKeys((e) => {
    if (!selected) return;
    const approval = selected.kind === "approval";
    const onItem = (e.target as HTMLElement).classList?.contains("inbox-item");
    const onControl = Boolean((e.target as HTMLElement).closest?.("a, button"));
    const move = (by: number) => {
      const next = items[Math.max(0, Math.min(items.length - 1, index + by))];
      if (next) setSelectedId(next.requestId);
    };
    const act = actionsFor(selected);
    const keyActions: Record<string, () => void> = {
      j: () => move(1),
      k: () => move(-1),
      ...(onItem ? { ArrowDown: () => move(1), ArrowUp: () => move(-1) } : {}),
      ...(approval && !busy ? { a: act.allow, d: act.deny, A: act.allowAll } : {}),
      // Enter on a link or button is theirs (open the task, press the button).
      ...(!approval && !onControl ? { Enter: act.openReply } : {}),
    };
    const run = keyActions[e.key];
    if (!run) return;
    e.preventDefault();
    run();
  });

  return (
    <div className="page inbox-page">
      <header className="page-header">
        <h1>Inbox</h1>
        <p className="muted small" id="inbox-keys">
          <kbd>j</kbd>/<kbd>k</kbd> select · <kbd>a</kbd> allow · <kbd>d</kbd> deny · <kbd>A</kbd> allow all
          identical · <kbd>Enter</kbd> reply to a question
        </p>
      </header>
      <p role="status" className="inbox-count">
        {pending.isPending
          ? "Loading…"
          : items.length === 0
            ? "Nothing is waiting for a person."
            : `${items.length} open request${items.length === 1 ? "" : "s"}, oldest first`}
      </p>
      {pending.error && (
        <p className="form-error" role="alert">
          Could not load the open requests: {pending.error.message}
        </p>
      )}
      {items.length > 0 && (
        <ul className="inbox-list" ref={listRef} aria-label="Open requests" aria-describedby="inbox-keys">
          {items.map((q, i) => (
            <InboxEntry
              key={q.requestId}
              item={q}
              selected={i === index}
              replying={i === index && replying}
              reply={i === index ? reply : null}
              busy={busy}
              now={now}
              actions={actionsFor(q)}
            />
          ))}
        </ul>
      )}
    </div>
  );
};
