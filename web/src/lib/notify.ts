import type { ChatMessageInfo } from "@agentvine/client";
import { toast } from "./toast.ts";

let navigate = (href: string) => window.location.assign(href);
/** The router's navigate, so a notification click does not reload the page. */
export const setNotificationNavigate = (fn: (href: string) => void) => {
  navigate = fn;
};

export const notificationsSupported = () => typeof window !== "undefined" && "Notification" in window;

/**
 * A worker asked a question (or to allow a tool call): a browser notification when the page is not in front of the
 * person (and they allowed it), an in-app toast either way.
 */
export const announceQuestion = (message: ChatMessageInfo, taskTitle?: string) => {
  const where = taskTitle ? ` on "${taskTitle}"` : "";
  const approval = message.kind === "approval";
  const what = approval ? `Approval requested (${message.tool})` : "New question";
  const watching =
    document.visibilityState === "visible" && window.location.pathname === `/chat/${message.conversationId}`;
  // Already looking at that conversation: the question is right there, no toast on top of it.
  if (!watching)
    toast(
      {
        kind: "question",
        text: `${what}${where}: ${message.message.slice(0, 140)}`,
        href: `/chat/${message.conversationId}`,
        linkText: approval ? "Decide" : "Answer",
      },
      12_000,
    );
  if (!notificationsSupported() || Notification.permission !== "granted") return;
  if (document.visibilityState === "visible" && document.hasFocus()) return;
  try {
    const n = new Notification(`AgentVine: a worker is waiting${where}`, {
      body: message.message.slice(0, 240),
      tag: message.id,
    });
    n.onclick = () => {
      window.focus();
      navigate(`/chat/${message.conversationId}`);
      n.close();
    };
  } catch {
    // some browsers only allow notifications from a service worker
  }
};
