import { v4, v5 } from "uuid";
import { describe, expect, it } from "vitest";
import { testCtx, workerActor } from "../../../test/context.ts";
import * as Session from "./service.ts";

describe("a session is found by its id or by the agent's sessionId", () => {
  it("whatever shape the agent's sessionId has, a v5 UUID included", async () => {
    const ctx = await testCtx("session-load");
    const worker = await workerActor(ctx);
    const agentIds = ["claude-abc", v4(), v5("x", "6ba7b810-9dad-11d1-80b4-00c04fd430c8")];
    for (const sessionId of agentIds) {
      const opened = await Session.create(ctx, worker, { sessionId, workerId: worker.principalId });
      expect(await Session.get(ctx, sessionId)).toMatchObject({ id: opened.id, sessionId });
      expect(await Session.get(ctx, opened.id)).toMatchObject({ id: opened.id, sessionId });
    }
    await expect(
      Session.get(ctx, v5("nobody", "6ba7b810-9dad-11d1-80b4-00c04fd430c8")),
    ).rejects.toMatchObject({
      code: "session.not_found",
    });
  });
});
