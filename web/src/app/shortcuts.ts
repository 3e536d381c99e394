import { useEffect, useRef } from "react";
import { useNavigate } from "react-router";
import { useUi } from "./ui.ts";

/** Typing in a field, or a dialog is open: single-key shortcuts stay out of the way. */
export const isTypingTarget = (target: EventTarget | null) => {
  const el = target as HTMLElement | null;
  if (!el?.tagName) return false;
  return (
    el.isContentEditable ||
    ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName) ||
    Boolean(el.closest?.("dialog[open]"))
  );
};

export const SHORTCUTS: [string, string][] = [
  ["c", "Create task"],
  ["g then d", "Go to Dashboard"],
  ["g then t", "Go to Tasks"],
  ["g then c", "Go to Chat"],
  ["g then i", "Go to Inbox"],
  ["j / k", "Next / previous row (task list, conversations, inbox)"],
  ["Enter", "Open the selected row; in the inbox, reply to the selected question"],
  ["/", "Focus the first filter"],
  ["?", "Show these shortcuts"],
  ["Enter in a message", "Send (Shift+Enter: new line)"],
  ["a / d on an approval", "Allow / Deny it (Deny sends the answer box's text)"],
  ["A in the inbox", "Allow the selected approval and every identical one"],
];

/** The open page's own keys: offered every key the global shortcuts leave alone. */
let pageKeys: ((e: KeyboardEvent) => void) | null = null;

/**
 * Gives the page's single-key shortcuts the same guards as the global ones (not while typing or
 * in a dialog) and keeps them out of a "g then …" sequence, where "g then d" must not also
 * press d on the page.
 */
export const usePageKeys = (onKey: (e: KeyboardEvent) => void) => {
  const latest = useRef(onKey);
  latest.current = onKey;
  useEffect(() => {
    const handler = (e: KeyboardEvent) => latest.current(e);
    pageKeys = handler;
    return () => {
      if (pageKeys === handler) pageKeys = null;
    };
  }, []);
};

/** Global single-key shortcuts: c, g d / g t / g c / g i, ?, / for the filters, then the page's. */
export const useShortcuts = () => {
  const navigate = useNavigate();
  useEffect(() => {
    let pendingG = 0;
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.metaKey || e.ctrlKey || e.altKey || isTypingTarget(e.target)) return;
      const ui = useUi.getState();
      if (ui.createOpen || ui.helpOpen) return;
      if (pendingG && Date.now() - pendingG < 1200) {
        pendingG = 0;
        const to = { d: "/", t: "/tasks", c: "/chat", i: "/inbox" }[e.key];
        if (to) {
          e.preventDefault();
          navigate(to);
        }
        return;
      }
      switch (e.key) {
        case "g":
          pendingG = Date.now();
          return;
        case "c":
          e.preventDefault();
          ui.setCreateOpen(true);
          return;
        case "?":
          e.preventDefault();
          ui.setHelpOpen(true);
          return;
        case "/": {
          const filter = document.querySelector<HTMLElement>("[data-filter-first]");
          if (filter) {
            e.preventDefault();
            filter.focus();
          }
          return;
        }
        default:
          pageKeys?.(e);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [navigate]);
};
