import { RemovalPolicy, Stack } from "aws-cdk-lib";
import type { CfnRole } from "aws-cdk-lib/aws-iam";
import type { CfnFunction, Function as LambdaFunction } from "aws-cdk-lib/aws-lambda";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import type { Construct } from "constructs";
import type { App } from "sst/constructs";
import { settings } from "./settings.ts";

/**
 * A log group kept as long as the stage keeps its logs (docs/DEPLOY.md). Functions get one each
 * instead of Lambda's implicit /aws/lambda/<name> group: their roles can then write to exactly
 * that group (no AWSLambdaBasicExecutionRole, which allows every log group of the account), and
 * no LogRetention custom resource (a further Lambda with `logs:*Retention*` on `*`) is needed.
 */
export const logGroup = (scope: Construct, id: string) => {
  const { days, removalPolicy } = logKeeping(scope);
  return new LogGroup(scope, id, { retention: days, removalPolicy });
};

/** How long the stage keeps logs (days) and whether removing the stage removes them. */
export const logKeeping = (scope: Construct) => {
  const { production, logRetention } = settings(Stack.of(scope).node.root as App);
  return {
    days: logRetention === "three_months" ? RetentionDays.THREE_MONTHS : RetentionDays.TWO_WEEKS,
    removalPolicy: production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    production,
  };
};

/**
 * SST's own per-stack function (the handler of its custom resources: uploads, secret prefetch):
 * CDK gives it the basic execution role and Node 22. It gets what ours get instead: its own log
 * group, a role that writes only there, and the current Node runtime (its bundle is a plain
 * async ESM handler, which Node 24 runs unchanged).
 */
export const confineSstHandler = (handler: LambdaFunction, runtime: string) => {
  const logs = logGroup(handler, "Logs");
  const cfn = handler.node.defaultChild as CfnFunction;
  cfn.runtime = runtime;
  cfn.loggingConfig = { logGroup: logs.logGroupName };
  const role = handler.role;
  if (!role) throw new Error(`${handler.node.path} has no role`);
  logs.grantWrite(role);
  (role.node.defaultChild as CfnRole).managedPolicyArns = undefined;
};
