import path from "node:path";
import { Duration, RemovalPolicy } from "aws-cdk-lib";
import { Distribution, PriceClass, ViewerProtocolPolicy } from "aws-cdk-lib/aws-cloudfront";
import { S3BucketOrigin } from "aws-cdk-lib/aws-cloudfront-origins";
import { Bucket, ObjectOwnership } from "aws-cdk-lib/aws-s3";
import { type StackContext, StaticSite, use } from "sst/constructs";
import { Api } from "./api.ts";
import { accessLogBucket, PRIVATE_BUCKET } from "./buckets.ts";
import { Realtime } from "./realtime.ts";
import { settings } from "./settings.ts";
import { suppress } from "./suppress.ts";

/**
 * The web app's bucket and CDN, in a stack of their own that comes before the API: the API's
 * CORS origin is the CDN's domain, and the site's build needs the API's URL. With SST's
 * StaticSite owning its CDN, the two stacks (and even one stack) would form a cycle.
 */
export function WebHosting({ stack }: StackContext) {
  // The bucket's and the CDN's access logs. CloudFront's standard logging writes with an ACL
  // (the awslogsdelivery account's grant).
  const accessLogs = accessLogBucket(stack, "AccessLogs", {
    objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
  });
  const bucket = new Bucket(stack, "WebBucket", {
    ...PRIVATE_BUCKET,
    serverAccessLogsBucket: accessLogs,
    serverAccessLogsPrefix: "web-bucket/",
    removalPolicy: RemovalPolicy.DESTROY,
    autoDeleteObjects: true,
  });
  const distribution = new Distribution(stack, "WebCdn", {
    defaultBehavior: {
      origin: S3BucketOrigin.withOriginAccessControl(bucket),
      viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
    },
    defaultRootObject: "index.html",
    // A single-page app: unknown paths are client-side routes (S3 answers 403 for a missing key).
    errorResponses: [403, 404].map((httpStatus) => ({
      httpStatus,
      responseHttpStatus: 200,
      responsePagePath: "/index.html",
      ttl: Duration.seconds(0),
    })),
    priceClass: PriceClass.PRICE_CLASS_100,
    enableLogging: true,
    logBucket: accessLogs,
    logFilePrefix: "cdn/",
  });
  suppress(distribution, [
    {
      id: "AwsSolutions-CFR4",
      reason:
        "Served on the default *.cloudfront.net certificate, whose minimum protocol CloudFront fixes at TLSv1; a custom domain with an ACM certificate would allow TLSv1.2_2021.",
    },
  ]);
  return { bucket, distribution, origin: `https://${distribution.distributionDomainName}` };
}

/** The web app, built with the stage's API and WebSocket URLs, uploaded to the WebHosting bucket. */
export function Web({ stack, app }: StackContext) {
  const { bucket, distribution } = use(WebHosting);
  const { api } = use(Api);
  const { ws } = use(Realtime);
  const { webDist } = settings(app);
  const sitePath = webDist ?? "web";
  const site = new StaticSite(stack, "Web", {
    path: sitePath,
    ...(webDist ? {} : { buildCommand: "npm run build", buildOutput: "dist" }),
    // Built with "{{ VITE_API_URL }}" placeholders that the upload replaces with these values.
    environment: { VITE_API_URL: api.url, VITE_WS_URL: ws.url },
    // SST would write web/src/sst-env.d.ts; web/ declares its env types itself.
    vite: { types: path.relative(sitePath, ".sst/web-env.d.ts") },
    cdk: { bucket, distribution },
  });
  suppress(
    site,
    [
      {
        id: "AwsSolutions-IAM5",
        reason:
          "SST's uploader (its custom resource) writes any key of the site's own bucket and reads the site's files from the CDK asset bucket.",
        appliesTo: [
          { regex: "/^Resource::<WebBucket[0-9A-F]+.Arn>/\\*$/" },
          { regex: "/^Resource::arn:<AWS::Partition>:s3:::cdk-[a-z0-9]+-assets-[0-9]+-[a-z0-9-]+/\\*$/" },
        ],
      },
    ],
    true,
  );
  stack.addOutputs({ WebUrl: site.url ?? "", ApiUrl: api.url, WebSocketUrl: ws.url });
  return { site };
}
