import { describe, expect, it } from "vitest";
import { testCtx } from "../../../test/context.ts";
import { on, watchedCtx } from "../../../test/watched-ctx.ts";
import * as Worker from "../worker/service.ts";
import * as Auth from "./service.ts";

describe("the token cache", () => {
  it("a token read once is not read again until authCacheMs has passed", async () => {
    const { ctx, ops } = watchedCtx(await testCtx("auth-cache-hit", { authCacheMs: 5_000 }));
    const { id, token } = await Auth.issueToken(ctx, { name: "Olivia", role: "operator" });
    const actor = { role: "operator", principalId: id, name: "Olivia" };
    expect(await Auth.authenticate(ctx, token)).toEqual(actor);
    expect(on(ops, "apitoken").map((op) => op.command)).toContain("GetItemCommand");

    ops.length = 0;
    expect(await Auth.authenticate(ctx, token)).toEqual(actor);
    ctx.clock.advance(4_999);
    expect(await Auth.authenticate(ctx, token)).toEqual(actor);
    expect(ops).toEqual([]);

    ctx.clock.advance(1);
    expect(await Auth.authenticate(ctx, token)).toEqual(actor);
    expect(on(ops, "apitoken").map((op) => op.command)).toEqual(["GetItemCommand"]);
  });

  it("authCacheMs 0 reads the token on every request", async () => {
    const { ctx, ops } = watchedCtx(await testCtx("auth-cache-off", { authCacheMs: 0 }));
    const { token } = await Auth.issueToken(ctx, { name: "ci", role: "admin" });
    await Auth.authenticate(ctx, token);
    ops.length = 0;
    await Auth.authenticate(ctx, token);
    expect(on(ops, "apitoken").map((op) => op.command)).toEqual(["GetItemCommand"]);
  });

  it("unknown tokens are not kept: each try is read", async () => {
    const { ctx, ops } = watchedCtx(await testCtx("auth-cache-unknown"));
    expect(await Auth.authenticate(ctx, "avt_nobody")).toBeNull();
    expect(await Auth.authenticate(ctx, "avt_nobody")).toBeNull();
    expect(on(ops, "apitoken")).toHaveLength(2);
  });

  it("revoked in this process, a cached token stops at once; a deregistered worker's too", async () => {
    const ctx = await testCtx("auth-cache-revoke");
    const { id, token } = await Auth.issueToken(ctx, { name: "tmp", role: "operator" });
    const other = await Auth.issueToken(ctx, { name: "keep", role: "operator" });
    expect(await Auth.authenticate(ctx, token)).not.toBeNull();
    expect(await Auth.authenticate(ctx, other.token)).not.toBeNull();
    await Auth.revokeAll(ctx, id);
    expect(await Auth.authenticate(ctx, token)).toBeNull();
    expect(await Auth.authenticate(ctx, other.token)).not.toBeNull();

    const { worker, token: workerToken } = await Worker.register(ctx, { name: "w" });
    expect(await Auth.authenticate(ctx, workerToken)).not.toBeNull();
    await Worker.deregister(ctx, worker.id);
    expect(await Auth.authenticate(ctx, workerToken)).toBeNull();
  });

  it("revoked by another process, a token cached here stops within authCacheMs", async () => {
    const base = await testCtx("auth-cache-elsewhere", { authCacheMs: 5_000 });
    const here = watchedCtx(base).ctx;
    const elsewhere = watchedCtx(base).ctx;
    const { id, token } = await Auth.issueToken(here, { name: "tmp", role: "operator" });
    expect(await Auth.authenticate(here, token)).not.toBeNull();
    await Auth.revokeAll(elsewhere, id);
    expect(await Auth.authenticate(elsewhere, token)).toBeNull();
    // The documented window: this process has not read the token since.
    here.clock.advance(4_999);
    expect(await Auth.authenticate(here, token)).not.toBeNull();
    here.clock.advance(1);
    expect(await Auth.authenticate(here, token)).toBeNull();
  });

  it("a read that was under way while the token was revoked is not kept", async () => {
    const watched = watchedCtx(await testCtx("auth-cache-race"));
    const { ctx } = watched;
    const { id, token } = await Auth.issueToken(ctx, { name: "tmp", role: "operator" });
    // The read is answered before the revocation (not revoked yet), but handed on only after it.
    const hold = watched.holdNext();
    const before = Auth.authenticate(ctx, token);
    await hold.arrived;
    await Auth.revokeAll(ctx, id);
    hold.release();
    expect(await before).not.toBeNull();
    expect(await Auth.authenticate(ctx, token)).toBeNull();
  });
});
