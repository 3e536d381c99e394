import { describe, expect, it } from "vitest";
import { operator, type TestCtx, testCtx, workerActor } from "../../../test/context.ts";
import * as Auth from "../auth/service.ts";
import type { RealtimeEvent } from "./events.ts";
import * as Realtime from "./service.ts";

/** Only the id matters to who hears what: the rest of the message is not under test. */
const message = (id: string) => ({ type: "chat.message", data: { id } }) as unknown as RealtimeEvent;

const person = { ...operator, role: "operator" as const };
const got = (ctx: TestCtx, connectionId: string, id: string) =>
  ctx.pushed.filter((p) => p.connectionId === connectionId && (p.event.data as { id?: string }).id === id)
    .length;

describe("realtime look-ahead (the human loop's hot path)", () => {
  it("pushes to the connections looked up ahead at once, and to one opened since before the path ends", async () => {
    const ctx = await testCtx("realtime-ahead");
    const w = await workerActor(ctx, "w");
    await Realtime.connect(ctx, "c-early", await Auth.issueTicket(ctx, person));
    await Realtime.connect(ctx, "c-worker", await Auth.issueTicket(ctx, w));
    const lateTicket = await Auth.issueTicket(ctx, person);
    ctx.pushed.length = 0;
    await Realtime.ahead(ctx, async () => {
      // The look-ahead is done once a publish returns; then someone connects.
      await Realtime.publish(ctx, message("first"));
      expect(got(ctx, "c-early", "first")).toBe(1);
      await Realtime.connect(ctx, "c-late", lateTicket);
      await Realtime.publish(ctx, message("second"), { humans: true, workerIds: [w.principalId] });
      // Everyone known ahead has it when publish returns.
      expect(got(ctx, "c-early", "second")).toBe(1);
      expect(got(ctx, "c-worker", "second")).toBe(1);
    });
    // The late connection got it by the path's end, exactly once; nobody got anything twice.
    expect(got(ctx, "c-late", "second")).toBe(1);
    expect(got(ctx, "c-early", "second")).toBe(1);
    expect(got(ctx, "c-worker", "first")).toBe(0);
    // c-late connected after "first" went out, while that event's catch-up look-up may still have
    // been running: finding c-late then (and sending it "first" once) is right too. Nothing else.
    const pairs = ctx.pushed.map((p) => `${p.connectionId}:${(p.event.data as { id?: string }).id}`);
    expect(new Set(pairs).size).toBe(pairs.length);
    expect(pairs.filter((p) => p !== "c-late:first")).toHaveLength(4);
  });

  it("the audience still decides who hears it: people only, or the workers named", async () => {
    const ctx = await testCtx("realtime-ahead-audience");
    const [w1, w2] = [await workerActor(ctx, "w1"), await workerActor(ctx, "w2")];
    await Realtime.connect(ctx, "c-human", await Auth.issueTicket(ctx, person));
    await Realtime.connect(ctx, "c-w1", await Auth.issueTicket(ctx, w1));
    await Realtime.connect(ctx, "c-w2", await Auth.issueTicket(ctx, w2));
    ctx.pushed.length = 0;
    await Realtime.ahead(ctx, () =>
      Realtime.publish(ctx, message("to-w1"), { humans: false, workerIds: [w1.principalId] }),
    );
    expect(ctx.pushed.map((p) => p.connectionId)).toEqual(["c-w1"]);
  });
});
