import { Duration, RemovalPolicy } from "aws-cdk-lib";
import { type IRole, PolicyStatement } from "aws-cdk-lib/aws-iam";
import { Bucket, type IBucket } from "aws-cdk-lib/aws-s3";
import type { StackContext } from "sst/constructs";
import { accessLogBucket, PRIVATE_BUCKET } from "./buckets.ts";
import { settings } from "./settings.ts";
import { suppress } from "./suppress.ts";

/** Where parked runs' snapshots live: core keys them `snapshots/<taskId>/<workOrderId>`. */
export const SNAPSHOT_PREFIX = "snapshots/";

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * S3 expires objects in whole days: a snapshot outlives the longest a run may stay parked
 * (AGENTVINE_PARK_MAX_MS, after which the reaper deletes it itself) by at least one day, so the
 * lifecycle rule only catches what a failed clean-up left behind.
 */
export const snapshotExpiryDays = (parkMaxMs: number) => Math.ceil(parkMaxMs / DAY_MS) + 1;

/**
 * The bucket of parked runs' snapshots (issue 12): the agent's state and the workspace's git
 * bundle, so a run waiting on a person holds no worker. Private, encrypted, HTTPS only, its
 * access logged; a production stage keeps it on `sst remove` (parked tasks resume from it).
 */
export function Snapshots({ stack, app }: StackContext) {
  const { production, runtime } = settings(app);
  const accessLogs = accessLogBucket(stack, "SnapshotAccessLogs");
  const bucket = new Bucket(stack, "SnapshotBucket", {
    ...PRIVATE_BUCKET,
    serverAccessLogsBucket: accessLogs,
    serverAccessLogsPrefix: "snapshot-bucket/",
    lifecycleRules: [
      {
        id: "expire-snapshots",
        prefix: SNAPSHOT_PREFIX,
        expiration: Duration.days(snapshotExpiryDays(runtime.parkMaxMs)),
      },
    ],
    removalPolicy: production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    autoDeleteObjects: !production,
  });
  return { bucket };
}

/** Who does what with snapshots (core/src/ports/blob.ts; workers park and resume, core cleans up). */
export const SNAPSHOT_ACCESS = {
  /** Parks (put) and resumes (get). Listing makes a missing snapshot read as absent (404), not 403. */
  worker: { bucket: ["s3:ListBucket"], objects: ["s3:GetObject", "s3:PutObject"] },
  /** The API (cancel) and the schedule (parked too long) delete snapshots of runs that will never resume. */
  cleanup: { bucket: [], objects: ["s3:DeleteObject"] },
} as const satisfies Record<string, { bucket: readonly string[]; objects: readonly string[] }>;

/** Grants `access` to the snapshots of `bucket`; nothing outside the snapshot prefix. */
export const allowSnapshots = (
  role: IRole,
  bucket: IBucket,
  access: (typeof SNAPSHOT_ACCESS)[keyof typeof SNAPSHOT_ACCESS],
) => {
  if (access.bucket.length)
    role.addToPrincipalPolicy(
      new PolicyStatement({ actions: [...access.bucket], resources: [bucket.bucketArn] }),
    );
  role.addToPrincipalPolicy(
    new PolicyStatement({
      actions: [...access.objects],
      resources: [bucket.arnForObjects(`${SNAPSHOT_PREFIX}*`)],
    }),
  );
  suppress(
    role,
    [
      {
        id: "AwsSolutions-IAM5",
        reason:
          "Snapshot keys name a task and a work order that exist only at run time; the grant is the snapshot prefix of this stage's snapshot bucket only.",
        appliesTo: [{ regex: "/^Resource::<SnapshotBucket[0-9A-F]+.Arn>/snapshots/\\*$/" }],
      },
    ],
    true,
  );
};
