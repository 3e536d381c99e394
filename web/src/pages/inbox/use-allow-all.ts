import type { PendingQuestion } from "@agentvine/client";
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { keys } from "../../api/cache.ts";
import { ApiError } from "../../api/client.ts";
import { useSendMessage } from "../../api/queries.ts";
import { toast } from "../../lib/toast.ts";

/**
 * Allows several open approvals with one action: one answer each, sent together. One that
 * someone else answered first is not an error; any other failure is told, with how many went.
 */
export const useAllowAll = () => {
  const send = useSendMessage();
  const qc = useQueryClient();
  const [pending, setPending] = useState(false);

  const allowAll = async (requests: PendingQuestion[]) => {
    if (pending || requests.length === 0) return;
    setPending(true);
    const results = await Promise.allSettled(
      requests.map((q) =>
        send.mutateAsync({
          conversationId: q.conversationId,
          messageType: "response",
          parentMessageId: q.requestId,
          decision: "allow",
        }),
      ),
    );
    setPending(false);
    const rejected = results.flatMap((r) => (r.status === "rejected" ? [r.reason as Error] : []));
    const failed = rejected.filter((e) => !(e instanceof ApiError && e.code === "chat.already_answered"));
    // Answered elsewhere meanwhile: the list learns it from the API.
    if (failed.length < rejected.length) void qc.invalidateQueries({ queryKey: keys.pending });
    const allowed = requests.length - rejected.length;
    if (failed.length)
      toast({
        kind: "error",
        text: `Allowed ${allowed} of ${requests.length}; ${failed.length} failed: ${failed[0]?.message}`,
      });
    else toast({ kind: "success", text: `Allowed ${allowed} identical request${allowed === 1 ? "" : "s"}.` });
  };

  return { allowAll, pending };
};
