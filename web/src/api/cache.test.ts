import { describe, expect, it } from "vitest";
import { message, page, task } from "../test/fixtures.ts";
import { applyMessageToPending, applyTaskToPages, matchesFilter, normalizeFilter } from "./cache.ts";

const data = (...pages: ReturnType<typeof page<ReturnType<typeof task>>>[]) => ({
  pages,
  pageParams: pages.map((_, i) => (i === 0 ? undefined : `c${i}`)),
});

describe("task list cache", () => {
  it("normalizes filters so {} and {status: undefined} are one list", () => {
    expect(normalizeFilter({ status: undefined, taskType: "docs" })).toEqual({ taskType: "docs" });
  });

  it("matches every part of the filter", () => {
    const t = task({ status: "failed", taskType: "bugfix", priority: "high" });
    expect(matchesFilter(t, {})).toBe(true);
    expect(matchesFilter(t, { status: "failed", taskType: "bugfix" })).toBe(true);
    expect(matchesFilter(t, { status: "failed", taskType: "docs" })).toBe(false);
    expect(matchesFilter(t, { priority: "low" })).toBe(false);
  });

  it("replaces a task in place when it still matches", () => {
    const a = task({ createdAt: "2025-01-02T00:00:00Z" });
    const b = task({ createdAt: "2025-01-01T00:00:00Z" });
    const next = applyTaskToPages(data(page([a, b])), { ...b, status: "in_progress" }, {});
    expect(next?.pages[0]?.items.map((t) => t.status)).toEqual(["queued", "in_progress"]);
  });

  it("removes a task that no longer matches the list's filter", () => {
    const a = task();
    const next = applyTaskToPages(data(page([a])), { ...a, status: "completed" }, { status: "queued" });
    expect(next?.pages[0]?.items).toEqual([]);
  });

  it("inserts a new matching task newest first, and ignores one that does not match", () => {
    const old = task({ createdAt: "2025-01-01T00:00:00Z" });
    const fresh = task({ createdAt: "2025-01-03T00:00:00Z" });
    const inserted = applyTaskToPages(data(page([old], "c1")), fresh, {});
    expect(inserted?.pages[0]?.items.map((t) => t.id)).toEqual([fresh.id, old.id]);
    const ignored = applyTaskToPages(data(page([old])), { ...fresh, taskType: "docs" }, { taskType: "test" });
    expect(ignored?.pages[0]?.items.map((t) => t.id)).toEqual([old.id]);
  });

  it("leaves a task older than everything loaded to the next page, unless the list is complete", () => {
    const loaded = task({ createdAt: "2025-01-05T00:00:00Z" });
    const older = task({ createdAt: "2025-01-01T00:00:00Z" });
    expect(applyTaskToPages(data(page([loaded], "more")), older, {})?.pages[0]?.items).toHaveLength(1);
    expect(applyTaskToPages(data(page([loaded], null)), older, {})?.pages[0]?.items.map((t) => t.id)).toEqual(
      [loaded.id, older.id],
    );
  });
});

describe("pending questions cache", () => {
  it("drops a question closed unanswered (its work ended), as it drops an answered one", () => {
    const q = message({ id: "q1" });
    const open = applyMessageToPending([], q);
    expect(open.map((p) => p.requestId)).toEqual(["q1"]);
    const closed = { ...q, closedAt: "2025-01-01T10:05:00.000Z", closedReason: "The task failed" };
    expect(applyMessageToPending(open, closed)).toEqual([]);
  });
});
