import type { Ctx } from "../context.ts";
import { isConditionalFailure, type PolicyItem } from "../db/index.ts";
import { POLICY_ID } from "../db/policy.entity.ts";

/** The policy's access patterns: the one item, read and replaced over a known version. */

export const load = async (ctx: Ctx) => (await ctx.db.policy.get({ id: POLICY_ID }).go()).data;

/** Writes the policy if it is still at `ifVersion` (0: none yet); false when another write came first. */
export const replace = async (ctx: Ctx, item: Omit<PolicyItem, "id">, ifVersion: number) => {
  try {
    await ctx.db.policy
      .put({ ...item, id: POLICY_ID })
      .where((a, op) => (ifVersion === 0 ? op.notExists(a.id) : op.eq(a.version, ifVersion)))
      .go();
    return true;
  } catch (err) {
    if (isConditionalFailure(err)) return false;
    throw err;
  }
};
