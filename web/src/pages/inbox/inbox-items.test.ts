import type { PendingQuestion } from "@agentvine/client";
import { describe, expect, it } from "vitest";
import { pendingRequest } from "../../test/fixtures.ts";
import { inboxItems, pickSelected } from "./inbox-items.ts";

const q = (requestId: string, createdAt: string, over: Partial<PendingQuestion> = {}) =>
  pendingRequest({
    requestId,
    conversationId: `task-${requestId}`,
    taskId: `task-${requestId}`,
    createdAt,
    ...over,
  });

describe("inbox items", () => {
  it("orders oldest first and groups approvals by tool and input, never questions", () => {
    const items = inboxItems([
      q("r3", "2025-01-01T10:03:00Z"),
      q("r1", "2025-01-01T10:01:00Z"),
      q("r2", "2025-01-01T10:02:00Z", { input: '{"command":"rm -rf /"}' }),
      q("r4", "2025-01-01T10:04:00Z", { tool: "Edit" }),
      q("r0", "2025-01-01T10:00:00Z", { kind: "question", tool: null, input: null }),
      q("r5", "2025-01-01T10:05:00Z", { kind: "question", tool: null, input: null }),
    ]);
    expect(items.map((i) => i.requestId)).toEqual(["r0", "r1", "r2", "r3", "r4", "r5"]);
    expect(items.map((i) => i.identical)).toEqual([
      ["r0"],
      ["r1", "r3"],
      ["r2"],
      ["r1", "r3"],
      ["r4"],
      ["r5"],
    ]);
  });

  it("keeps the selection on its request, and on the one that took its place once it is gone", () => {
    const items = inboxItems([q("a", "2025-01-01T10:00:00Z"), q("c", "2025-01-01T10:02:00Z")]);
    expect(pickSelected(items, "c", 0)).toBe(1);
    // "b" (at index 1) was answered: "c" moved up into its place.
    expect(pickSelected(items, "b", 1)).toBe(1);
    expect(pickSelected(items, "gone", 5)).toBe(1);
    expect(pickSelected(items, null, 0)).toBe(0);
    expect(pickSelected([], "a", 0)).toBe(-1);
  });
});
