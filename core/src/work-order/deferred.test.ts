import { describe, expect, it } from "vitest";
import { operator, testCtx, workerActor } from "../../../test/context.ts";
import { deferrals } from "../after.ts";
import * as Task from "../task/service.ts";
import { WorkOrder } from "./index.ts";

describe("the claim's answer", () => {
  it("holds the deciding write and the state writes, not the events: those follow on drain", async () => {
    const base = await testCtx("claim-deferred");
    const w = await workerActor(base);
    const task = await Task.create(base, { title: "t" }, operator.name);
    // A person watching: the recording push only sees connections the table holds.
    await base.db.connection
      .put({ connectionId: "c1", role: "admin", principalId: "p", connectedAt: "x", expiresAt: 2 ** 31 })
      .go();
    const background = deferrals();
    let deferred = 0;
    const ctx = {
      ...base,
      after: (work: Promise<void>) => {
        deferred++;
        background.after(work);
      },
    };

    const claimed = await WorkOrder.claimById(ctx, w.principalId, task.currentWorkOrderId!);
    expect(claimed.status).toBe("claimed");
    // What the worker's next calls read is written before the answer...
    expect((await Task.get(ctx, task.id)).status).toBe("in_progress");
    expect((await base.db.worker.get({ id: w.principalId }).go()).data?.status).toBe("busy");
    // ...the events and the timeline line are handed to the deferral port, not awaited by it;
    // drained, every one has gone out.
    expect(deferred).toBeGreaterThanOrEqual(3);
    await background.drain();
    const types = base.pushed.map((p) => p.event.type);
    expect(types).toEqual(expect.arrayContaining(["task.updated", "worker.updated", "activity.created"]));
    const inProgress = base.pushed.find(
      (p) => p.event.type === "task.updated" && (p.event.data as { status: string }).status === "in_progress",
    );
    expect(inProgress).toBeDefined();
  });
});
