import { describe, expect, it } from "vitest";
import { testCtx, workerActor } from "../../../test/context.ts";
import { hashSecret } from "../ids.ts";
import * as Worker from "../worker/service.ts";
import * as Auth from "./service.ts";

describe("auth", () => {
  it("an issued token authenticates as its principal", async () => {
    const ctx = await testCtx("auth-roundtrip");
    const { id, token } = await Auth.issueToken(ctx, { name: "Olivia", role: "operator" });
    expect(token).toMatch(/^avt_/);
    expect(await Auth.authenticate(ctx, token)).toEqual({
      role: "operator",
      principalId: id,
      name: "Olivia",
    });
    expect(await Auth.authenticate(ctx, `${token}x`)).toBeNull();
    expect(await Auth.authenticate(ctx, "")).toBeNull();
  });

  it("stores only the hash of the secret", async () => {
    const ctx = await testCtx("auth-hashed");
    const { id, token } = await Auth.issueToken(ctx, { name: "ci", role: "admin" });
    const raw = await ctx.db.apiToken.get({ tokenHash: hashSecret(token) }).go({ data: "raw" });
    const stored = JSON.stringify(raw.data);
    expect(stored).toContain(id);
    expect(stored).toContain(hashSecret(token));
    expect(stored).not.toContain(token);
    expect(stored).not.toContain(token.slice(4)); // not even without its prefix
  });

  it("records when a token was last used, at most once a minute", async () => {
    const ctx = await testCtx("auth-last-used");
    const { token } = await Auth.issueToken(ctx, { name: "Olivia", role: "viewer" });
    const lastUsed = async () =>
      (await ctx.db.apiToken.get({ tokenHash: hashSecret(token) }).go()).data?.lastUsedAt;
    const t0 = ctx.clock.now();
    await Auth.authenticate(ctx, token);
    expect(await lastUsed()).toBe(new Date(t0).toISOString());
    ctx.clock.advance(30_000);
    await Auth.authenticate(ctx, token);
    expect(await lastUsed()).toBe(new Date(t0).toISOString());
    ctx.clock.advance(31_000);
    await Auth.authenticate(ctx, token);
    expect(await lastUsed()).toBe(new Date(ctx.clock.now()).toISOString());
  });

  it("a revoked token is rejected; a deregistered worker's token stops working", async () => {
    const ctx = await testCtx("auth-revoked");
    const { id, token } = await Auth.issueToken(ctx, { name: "tmp", role: "operator" });
    const other = await Auth.issueToken(ctx, { name: "keep", role: "operator" });
    await Auth.revokeAll(ctx, id);
    expect(await Auth.authenticate(ctx, token)).toBeNull();
    expect(await Auth.authenticate(ctx, other.token)).not.toBeNull();

    const { worker, token: workerToken } = await Worker.register(ctx, { name: "w" });
    expect(workerToken).toMatch(/^avw_/);
    expect(await Auth.authenticate(ctx, workerToken)).toMatchObject({
      role: "worker",
      principalId: worker.id,
    });
    await Worker.deregister(ctx, worker.id);
    expect(await Auth.authenticate(ctx, workerToken)).toBeNull();
  });

  it("ensureToken makes a known secret valid, idempotently", async () => {
    const ctx = await testCtx("auth-ensure");
    const secret = "avt_bootstrap-admin-secret";
    await Auth.ensureToken(ctx, { name: "admin", role: "admin", secret });
    await Auth.ensureToken(ctx, { name: "admin", role: "admin", secret });
    expect(await Auth.authenticate(ctx, secret)).toMatchObject({ role: "admin", name: "admin" });
    const tokens = await ctx.db.apiToken.query
      .byPrincipal({ principalId: (await Auth.authenticate(ctx, secret))!.principalId })
      .go();
    expect(tokens.data).toHaveLength(1);
  });

  it("a WebSocket ticket works once", async () => {
    const ctx = await testCtx("auth-ticket-once");
    const worker = await workerActor(ctx);
    const ticket = await Auth.issueTicket(ctx, worker);
    expect(await Auth.consumeTicket(ctx, ticket)).toMatchObject({
      role: "worker",
      principalId: worker.principalId,
    });
    expect(await Auth.consumeTicket(ctx, ticket)).toBeNull();
    expect(await Auth.consumeTicket(ctx, "avs_forged")).toBeNull();
    const raw = await ctx.db.wsTicket.get({ ticketHash: hashSecret(ticket) }).go();
    expect(raw.data).toBeNull();
  });

  it("a WebSocket ticket expires after wsTicketTtlMs, not a moment later", async () => {
    const ctx = await testCtx("auth-ticket-expiry");
    const actor = { role: "operator" as const, principalId: "p", name: "Olivia" };
    // Mid-second on purpose: the stored expiry is in whole seconds.
    ctx.clock.set(Date.UTC(2026, 0, 1, 12, 0, 0, 500));
    const fresh = await Auth.issueTicket(ctx, actor);
    ctx.clock.advance(ctx.config.wsTicketTtlMs - 1000);
    expect(await Auth.consumeTicket(ctx, fresh)).not.toBeNull();

    ctx.clock.set(Date.UTC(2026, 0, 1, 12, 0, 0, 500));
    const stale = await Auth.issueTicket(ctx, actor);
    ctx.clock.advance(ctx.config.wsTicketTtlMs + 1);
    expect(await Auth.consumeTicket(ctx, stale)).toBeNull();
    // Consumed all the same: it cannot be tried again later.
    expect(await ctx.db.wsTicket.get({ ticketHash: hashSecret(stale) }).go()).toMatchObject({ data: null });
  });
});
