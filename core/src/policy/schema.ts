import { z } from "zod";
import { Rule, Rules } from "./rule.ts";

/** The routing policy as the API serves it; before any write, no rules at version 0. */
export const PolicyInfo = z
  .object({
    rules: z.array(Rule),
    version: z.number().int(),
    updatedAt: z.string().nullable(),
    updatedBy: z.string().nullable(),
  })
  .meta({ id: "PolicyInfo" });
export type PolicyInfo = z.infer<typeof PolicyInfo>;

/** A replacement of the whole policy, written only over the version it was read at. */
export const PutPolicyInput = z
  .object({
    rules: Rules,
    /** The version read (0 before the first write); another write since then is a 409. */
    ifVersion: z.number().int().min(0),
  })
  .strict();
export type PutPolicyInput = z.infer<typeof PutPolicyInput>;
