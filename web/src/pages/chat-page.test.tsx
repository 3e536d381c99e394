import type { PendingQuestion } from "@agentvine/client";
import { describe, expect, it } from "vitest";
import { task } from "../test/fixtures.ts";
import { orderConversations } from "./chat-page.tsx";

const q = (conversationId: string, createdAt: string): PendingQuestion => ({
  requestId: `${conversationId}-${createdAt}`,
  conversationId,
  taskId: conversationId,
  workerId: "w",
  message: "?",
  kind: "question",
  tool: null,
  input: null,
  createdAt,
  waitingMs: 0,
});

describe("conversation order", () => {
  it("puts unanswered conversations first, longest waiting on top, then work in progress, then the rest", () => {
    const recent = [
      task({ id: "new", createdAt: "2025-01-03T00:00:00Z", status: "completed" }),
      task({ id: "asked-late", createdAt: "2025-01-02T00:00:00Z", status: "in_progress" }),
      task({ id: "old", createdAt: "2025-01-01T00:00:00Z", status: "queued" }),
    ];
    const inProgress = [
      task({ id: "busy", status: "in_progress" }),
      task({ id: "asked-late", status: "in_progress" }),
      task({ id: "asked-early", status: "in_progress" }),
    ];
    const pending = [
      q("asked-late", "2025-01-05T10:05:00Z"),
      q("asked-early", "2025-01-05T10:00:00Z"),
      q("asked-late", "2025-01-05T10:06:00Z"),
    ];
    const order = orderConversations(pending, inProgress, recent);
    expect(order.map((c) => c.taskId)).toEqual(["asked-early", "asked-late", "busy", "new", "old"]);
    expect(order.map((c) => c.openCount)).toEqual([1, 2, 0, 0, 0]);
    expect(order[1]?.waitingSince).toBe("2025-01-05T10:05:00Z");
  });
});
