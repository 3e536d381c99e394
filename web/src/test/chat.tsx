import type { ChatMessageInfo } from "@agentvine/client";
import userEvent from "@testing-library/user-event";
import { ChatThread } from "../components/chat-thread.tsx";
import { message, page } from "./fixtures.ts";
import { mockApi, renderApp } from "./render.tsx";

export const CONV = "task-1";
const worker = { id: "worker-1", name: "vine-1", status: "waiting" };

/**
 * A chat thread over a fake API holding `messages`; a POST is answered as the API would (the
 * stored message, with the default text of a decision sent without one).
 */
export const renderThread = (messages: ChatMessageInfo[]) => {
  const api = mockApi({
    "GET /chat/messages": () => ({ body: page(messages) }),
    "GET /workers": () => ({ body: page([worker]) }),
    "POST /chat/messages": (call) => {
      const body = call.body as Partial<ChatMessageInfo>;
      const decided = body.decision === "allow" ? "Allowed" : body.decision === "deny" ? "Denied" : "";
      return {
        status: 201,
        body: message({
          id: "answer-1",
          conversationId: CONV,
          senderType: "human",
          senderId: "admin",
          message: body.message ?? decided,
          messageType: body.messageType ?? "status",
          parentMessageId: body.parentMessageId ?? null,
          decision: body.decision ?? null,
          kind: null,
          createdAt: "2025-01-01T10:05:00.000Z",
        }),
      };
    },
  });
  const view = renderApp(<ChatThread conversationId={CONV} />);
  return { ...view, api, user: userEvent.setup() };
};
