import type { Template } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { HANDLERS } from "../runtime-views.ts";
import { snapshotExpiryDays } from "../snapshots.ts";
import { resourcesOf } from "../synth.ts";

const HOUR = 60 * 60 * 1000;

/** Test support (run by stacks.test.ts on its synth of the "test" stage): the parked runs' snapshot bucket. */
export const snapshotChecks = (t: () => Record<string, Template>) => {
  describe("snapshots", () => {
    const bucketOf = () => {
      const [entry, ...others] = resourcesOf({ s: t().Snapshots as Template }, "AWS::S3::Bucket").filter(
        ([, id]) => id.startsWith("SnapshotBucket"),
      );
      expect(others).toEqual([]);
      const [, id, bucket] = entry ?? [];
      return { id: id as string, bucket };
    };

    it("keeps snapshots private, encrypted, HTTPS only, access-logged, and disposable on a development stage", () => {
      const { id, bucket } = bucketOf();
      expect(bucket.DeletionPolicy).toBe("Delete");
      expect(bucket.Properties).toMatchObject({
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        LoggingConfiguration: {
          DestinationBucketName: { Ref: expect.stringMatching(/^SnapshotAccessLogs/) },
          LogFilePrefix: "snapshot-bucket/",
        },
      });
      // Deleted means deleted: no versions kept behind a clean-up.
      expect(bucket.Properties.VersioningConfiguration).toBeUndefined();
      const [, , policy] =
        resourcesOf({ s: t().Snapshots as Template }, "AWS::S3::BucketPolicy").find(
          ([, , p]) => p.Properties.Bucket.Ref === id,
        ) ?? [];
      expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
      );
    });

    it("expires snapshots one day after the longest a run may stay parked (core's 24 h by default)", () => {
      expect(bucketOf().bucket.Properties.LifecycleConfiguration.Rules).toEqual([
        { Id: "expire-snapshots", Prefix: "snapshots/", ExpirationInDays: 2, Status: "Enabled" },
      ]);
      expect(snapshotExpiryDays(24 * HOUR)).toBe(2);
      expect(snapshotExpiryDays(24 * HOUR + 1)).toBe(3);
      expect(snapshotExpiryDays(1)).toBe(2);
    });

    it("names the bucket to every function and the worker", () => {
      const functions = resourcesOf(t(), "AWS::Lambda::Function").filter(([, , fn]) =>
        String(fn.Properties.Handler).startsWith("functions/src/lambda/"),
      );
      expect(functions.map(([, , fn]) => fn.Properties.Handler).sort()).toEqual([...HANDLERS].sort());
      for (const [, , fn] of functions)
        expect(JSON.stringify(fn.Properties.Environment.Variables.AGENTVINE_BLOB_BUCKET)).toMatch(
          /Snapshots:ExportsOutputRefSnapshotBucket/,
        );
      const [, , task] = resourcesOf(t(), "AWS::ECS::TaskDefinition")[0] ?? [];
      const env = task.Properties.ContainerDefinitions[0].Environment;
      expect(JSON.stringify(env.find((e: { Name: string }) => e.Name === "AGENTVINE_BLOB_BUCKET"))).toMatch(
        /Snapshots:ExportsOutputRefSnapshotBucket/,
      );
    });

    it("lets only the workers read and write snapshots; the API and the schedule may delete them, no one else anything", () => {
      const grants = resourcesOf(t(), "AWS::IAM::Policy").flatMap(([stack, , p]) =>
        (p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[])
          .filter((s) => JSON.stringify(s.Resource).includes("SnapshotBucket"))
          .map((s) => ({
            stack,
            role: p.Properties.Roles[0].Ref as string,
            actions: [s.Action].flat().join(" "),
            resource: JSON.stringify(s.Resource),
          })),
      );
      expect(
        grants
          .map(({ stack, role, actions }) => `${stack} ${role.replace(/[0-9A-F]{8}$/, "")} ${actions}`)
          .sort(),
      ).toEqual([
        "Api ApiRole s3:DeleteObject",
        "Schedule ScheduledRole s3:DeleteObject",
        "Workers WorkerTaskTaskRole s3:GetObject s3:PutObject",
        "Workers WorkerTaskTaskRole s3:ListBucket",
      ]);
      // Objects under the snapshot prefix only; listing is of the bucket itself.
      for (const g of grants)
        expect(g.resource).toMatch(
          g.actions === "s3:ListBucket"
            ? /^\{"Fn::ImportValue":"[^"]*SnapshotBucket\w*Arn\w*"\}$/
            : /^\{"Fn::Join":\["",\[\{"Fn::ImportValue":"[^"]*SnapshotBucket\w*Arn\w*"\},"\/snapshots\/\*"\]\]\}$/,
        );
    });
  });
};
