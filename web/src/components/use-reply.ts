import type { ChatMessageInfo } from "@agentvine/client";
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { keys } from "../api/cache.ts";
import { ApiError, type NewMessage } from "../api/client.ts";
import { useSendMessage } from "../api/queries.ts";
import { toast } from "../lib/toast.ts";

export type Decision = "allow" | "deny";
/** The open request a reply answers, in its own conversation (the inbox holds many). */
type Request = Pick<ChatMessageInfo, "id" | "conversationId">;

/**
 * The answer box and what it sends: an answer to the open question, a decision on the open
 * approval (its text, if any, goes with it as the message), or a note when nothing is open.
 * Shared by the composer, the thread (where a focused approval takes `a` and `d`) and the inbox.
 */
export const useReply = (conversationId: string, onSent: () => void) => {
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const send = useSendMessage();
  const qc = useQueryClient();

  // A new conversation starts with an empty box.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the reset is what a change of conversationId triggers
  useEffect(() => {
    setText("");
    setError(null);
  }, [conversationId]);

  const post = (body: NewMessage, then?: () => void) => {
    if (send.isPending) return;
    setError(null);
    send.mutate(body, {
      onSuccess: () => {
        setText("");
        onSent();
        then?.();
      },
      onError: (err) => {
        if (err instanceof ApiError && err.code === "chat.already_answered") {
          toast({ kind: "info", text: "Someone else answered that first." });
          void qc.invalidateQueries({ queryKey: keys.messages(body.conversationId) });
          void qc.invalidateQueries({ queryKey: keys.pending });
        } else {
          const field = err instanceof ApiError ? (err.fields.message ?? err.fields.decision) : undefined;
          setError(field ?? err.message);
        }
      },
    });
  };

  /** Sends the box's text: the answer to `target`, or a note when nothing is open. */
  const answer = (target: Request | null) => {
    const message = text.trim();
    if (!message) return;
    post(
      target
        ? {
            conversationId: target.conversationId,
            message,
            messageType: "response",
            parentMessageId: target.id,
          }
        : { conversationId, message, messageType: "status" },
    );
  };

  /**
   * Allows or denies the approval `target`; the box's text, when there is some, is the message.
   * `then` runs once it is sent.
   */
  const decide = (target: Request, decision: Decision, then?: () => void) => {
    const message = text.trim();
    post(
      {
        conversationId: target.conversationId,
        messageType: "response",
        parentMessageId: target.id,
        decision,
        ...(message ? { message } : {}),
      },
      then,
    );
  };

  return { text, setText, error, pending: send.isPending, answer, decide };
};

export type Reply = ReturnType<typeof useReply>;
