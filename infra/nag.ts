import { AspectPriority, Aspects } from "aws-cdk-lib";
import {
  AwsSolutionsChecks,
  type INagLogger,
  type NagLoggerBaseData,
  type NagLoggerNonComplianceData,
  NagMessageLevel,
} from "cdk-nag";
import type { IConstruct } from "constructs";

/** One cdk-nag result, as "Stack/Path/To/Resource: AwsSolutions-XX (level) info". */
export interface NagFinding {
  rule: string;
  level: "error" | "warning" | "suppressed" | "failed";
  resource: string;
  info: string;
}

/**
 * Runs cdk-nag's AwsSolutions pack over everything under `scope` when it is synthesized and
 * collects the results instead of annotating (which would make a deploy fail on them).
 * Test support: the checks run on every `npm test`, not on deploys.
 */
export const collectNagFindings = (scope: IConstruct) => {
  const findings: NagFinding[] = [];
  const add = (data: NagLoggerBaseData, level: NagFinding["level"], info: string) =>
    findings.push({ rule: data.ruleId, level, resource: data.resource.node.path, info });
  // The finding names what failed within a resource (e.g. which wildcard of a policy), if the rule tells.
  const nonCompliance = (data: NagLoggerNonComplianceData) =>
    add(
      data,
      data.ruleLevel === NagMessageLevel.ERROR ? "error" : "warning",
      data.findingId || data.ruleInfo,
    );
  const logger: INagLogger = {
    onCompliance: () => {},
    onNotApplicable: () => {},
    onNonCompliance: nonCompliance,
    onSuppressed: (data) => add(data, "suppressed", data.suppressionReason),
    // A rule that could not evaluate a resource has not passed it.
    onError: (data) => add(data, "failed", data.errorMessage),
    onSuppressedError: (data) => add(data, "suppressed", data.errorSuppressionReason),
  };
  // Read-only: after the aspects that record suppressions (infra/suppress.ts).
  Aspects.of(scope).add(new AwsSolutionsChecks({ reports: false, additionalLoggers: [logger] }), {
    priority: AspectPriority.READONLY,
  });
  return findings;
};

/** What fails the build: unsuppressed errors and rules that could not run, one line each. */
export const nagFailures = (findings: NagFinding[]) =>
  findings
    .filter((f) => f.level === "error" || f.level === "failed")
    .map((f) => `${f.resource}: ${f.rule} ${f.info}`)
    .sort();
