import { beforeAll, describe, expect, it } from "vitest";
import { expectInvalid, type Reply, useApiHarness } from "../../../test/api.ts";

const TASKS = "/api/v1/tasks";

describe("GET /tasks filters and pagination", () => {
  const h = useApiHarness("api-tasks-list");
  const made: Record<string, { id: string; taskType: string; priority: string }> = {};
  beforeAll(async () => {
    const specs = [
      ["a", "feature", "normal"],
      ["b", "bugfix", "high"],
      ["c", "docs", "low"],
      ["d", "bugfix", "normal"],
      ["e", "test", "normal"],
      ["f", "bugfix", "low"],
    ] as const;
    for (const [title, taskType, priority] of specs) {
      h.ctx.clock.advance(1000);
      const res = await h.call("POST", TASKS, h.tokens.operator, { title, taskType, priority });
      expect(res.status).toBe(201);
      made[title] = res.body;
    }
    // "f" is cancelled: the status filter has something to tell apart.
    await h.call("PATCH", `${TASKS}/${made.f?.id}`, h.tokens.operator, { status: "cancelled" });
  });

  /** Follows nextCursor to the end; returns the titles in order and the number of pages. */
  const all = async (query: string, limit: number) => {
    const titles: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const q: string = `${query}${query ? "&" : ""}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
      const res: Reply = await h.call("GET", `${TASKS}?${q}`, h.tokens.viewer);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(limit);
      titles.push(...res.body.items.map((t: { title: string }) => t.title));
      cursor = res.body.nextCursor;
      pages += 1;
      expect(pages).toBeLessThan(20);
    } while (cursor);
    return { titles, pages };
  };

  it("lists newest first, in pages joined by nextCursor", async () => {
    const first = await h.call("GET", `${TASKS}?limit=2`, h.tokens.viewer);
    expect(first.body.items.map((t: { title: string }) => t.title)).toEqual(["f", "e"]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const { titles, pages } = await all("", 2);
    expect(titles).toEqual(["f", "e", "d", "c", "b", "a"]);
    expect(pages).toBeGreaterThanOrEqual(3);
    const whole = await h.call("GET", TASKS, h.tokens.viewer);
    expect(whole.body.items).toHaveLength(6);
    expect(whole.body.nextCursor).toBeNull();
  });

  it("filters by status, taskType and priority, alone and together", async () => {
    const titles = async (query: string) => (await all(query, 100)).titles;
    expect(await titles("status=queued")).toEqual(["e", "d", "c", "b", "a"]);
    expect(await titles("status=cancelled")).toEqual(["f"]);
    expect(await titles("status=completed")).toEqual([]);
    expect(await titles("taskType=bugfix")).toEqual(["f", "d", "b"]);
    expect(await titles("priority=normal")).toEqual(["e", "d", "a"]);
    expect(await titles("priority=low")).toEqual(["f", "c"]);
    expect(await titles("status=queued&taskType=bugfix")).toEqual(["d", "b"]);
    expect(await titles("status=queued&priority=low")).toEqual(["c"]);
    expect(await titles("taskType=bugfix&priority=normal")).toEqual(["d"]);
    expect(await titles("status=queued&taskType=bugfix&priority=high")).toEqual(["b"]);
  });

  it("pages through filtered lists without losing or repeating tasks", async () => {
    expect((await all("status=queued", 2)).titles).toEqual(["e", "d", "c", "b", "a"]);
    expect((await all("taskType=bugfix", 1)).titles).toEqual(["f", "d", "b"]);
    expect((await all("priority=normal", 1)).titles).toEqual(["e", "d", "a"]);
    expect((await all("status=queued&taskType=bugfix", 1)).titles).toEqual(["d", "b"]);
  });

  it("rejects bad filters, limits and cursors with 400 naming the parameter", async () => {
    expectInvalid(await h.call("GET", `${TASKS}?status=done`, h.tokens.viewer), "status");
    expectInvalid(await h.call("GET", `${TASKS}?taskType=chore`, h.tokens.viewer), "taskType");
    expectInvalid(await h.call("GET", `${TASKS}?priority=urgent`, h.tokens.viewer), "priority");
    expectInvalid(await h.call("GET", `${TASKS}?limit=0`, h.tokens.viewer), "limit");
    expectInvalid(await h.call("GET", `${TASKS}?limit=101`, h.tokens.viewer), "limit");
    expectInvalid(await h.call("GET", `${TASKS}?limit=abc`, h.tokens.viewer), "limit");
    expectInvalid(await h.call("GET", `${TASKS}?cursor=garbage`, h.tokens.viewer), "cursor");
    // Decodes, but is no key of this index.
    const forged = Buffer.from(JSON.stringify({ a: 1 })).toString("base64url");
    expectInvalid(await h.call("GET", `${TASKS}?cursor=${forged}`, h.tokens.viewer), "cursor");
  });
});
