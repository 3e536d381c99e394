import { AspectPriority, Aspects, CfnResource } from "aws-cdk-lib";
import type { IConstruct } from "constructs";

/** A cdk-nag finding accepted on purpose: the rule, why, and (for IAM5) which wildcard exactly. */
export interface Suppression {
  id: `AwsSolutions-${string}`;
  reason: string;
  /** Finding ids as cdk-nag prints them, or `{ regex: "/.../" }`. */
  appliesTo?: (string | { regex: string })[];
}

/**
 * Records suppressions on the CloudFormation resource of `scope` (with `children`, on every
 * resource under it, including those SST adds only when the app is finished) in cdk-nag's own
 * metadata format (`cdk_nag.rules_to_suppress`, as `NagSuppressions.addResourceSuppressions`
 * writes it). The stacks do not import cdk-nag: `sst deploy` bundles them into an ES module,
 * where cdk-nag's CommonJS code does not load. The checks run in the tests (infra/nag.ts).
 */
export const suppress = (scope: IConstruct, suppressions: Suppression[], children = false) => {
  const rules = suppressions.map(({ appliesTo, ...rule }) => ({
    ...rule,
    ...(appliesTo ? { applies_to: appliesTo } : {}),
  }));
  const record = (node: IConstruct) => {
    if (!CfnResource.isCfnResource(node)) return;
    const existing = node.getMetadata("cdk_nag")?.rules_to_suppress ?? [];
    node.addMetadata("cdk_nag", { rules_to_suppress: [...existing, ...rules] });
  };
  if (!children) return record(scope.node.defaultChild ?? scope);
  // At synthesis, before any read-only aspect such as cdk-nag's checks.
  Aspects.of(scope).add({ visit: record }, { priority: AspectPriority.MUTATING });
};
