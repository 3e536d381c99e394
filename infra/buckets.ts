import { Duration } from "aws-cdk-lib";
import { BlockPublicAccess, Bucket, BucketEncryption, type BucketProps } from "aws-cdk-lib/aws-s3";
import type { Construct } from "constructs";
import { logKeeping } from "./logs.ts";

/** Every bucket of the app: nothing public, encrypted at rest, HTTPS only. */
export const PRIVATE_BUCKET = {
  blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
  encryption: BucketEncryption.S3_MANAGED,
  enforceSSL: true,
} as const satisfies BucketProps;

/**
 * A bucket for other buckets' (and CloudFront's) access logs, kept as long as the stage's other
 * logs. cdk-nag accepts a log bucket without logs of its own.
 */
export const accessLogBucket = (scope: Construct, id: string, props: BucketProps = {}) => {
  const keep = logKeeping(scope);
  return new Bucket(scope, id, {
    ...PRIVATE_BUCKET,
    lifecycleRules: [{ expiration: Duration.days(keep.days) }],
    removalPolicy: keep.removalPolicy,
    autoDeleteObjects: !keep.production,
    ...props,
  });
};
