import * as Activity from "../activity/service.ts";
import { iso } from "../clock.ts";
import type { Actor, Ctx } from "../context.ts";
import type { PolicyItem } from "../db/index.ts";
import { VisibleError } from "../errors.ts";
import { evaluate, type RequestFacts } from "./evaluate.ts";
import { Rule } from "./rule.ts";
import type { PolicyInfo, PutPolicyInput } from "./schema.ts";
import * as Store from "./store.ts";

export type { RequestFacts, Route } from "./evaluate.ts";

/** Stored rules read through the schema, so a rule's absent `when` reads as {}. */
const toInfo = (item: PolicyItem | null): PolicyInfo =>
  item
    ? {
        rules: item.rules.map((r) => Rule.parse(r)),
        version: item.version,
        updatedAt: item.updatedAt,
        updatedBy: item.updatedBy,
      }
    : { rules: [], version: 0, updatedAt: null, updatedBy: null };

export const get = async (ctx: Ctx): Promise<PolicyInfo> => toInfo(await Store.load(ctx));

/** Replaces the rules, over the version the admin read: a write in between is a conflict. */
export const put = async (ctx: Ctx, actor: Actor, input: PutPolicyInput): Promise<PolicyInfo> => {
  const item = {
    rules: input.rules,
    version: input.ifVersion + 1,
    updatedAt: iso(ctx.clock.now()),
    updatedBy: actor.name,
  };
  if (!(await Store.replace(ctx, item, input.ifVersion))) {
    const current = await get(ctx);
    throw new VisibleError(
      "conflict",
      "policy.version_conflict",
      `The policy is at version ${current.version}, not ${input.ifVersion}: read it again and reapply the change`,
      { version: current.version },
    );
  }
  await Activity.record(ctx, {
    type: "policy.updated",
    summary: `${actor.name} set ${input.rules.length} routing ${input.rules.length === 1 ? "rule" : "rules"} (version ${item.version})`,
  });
  return toInfo({ ...item, id: "" });
};

/** Where the policy sends a request: read now, so a change applies to the next request. */
export const route = async (ctx: Ctx, request: RequestFacts) => evaluate((await get(ctx)).rules, request);
