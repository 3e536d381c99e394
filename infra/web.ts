import path from "node:path";
import { Duration, RemovalPolicy } from "aws-cdk-lib";
import { Distribution, PriceClass, ViewerProtocolPolicy } from "aws-cdk-lib/aws-cloudfront";
import { S3BucketOrigin } from "aws-cdk-lib/aws-cloudfront-origins";
import { BlockPublicAccess, Bucket, BucketEncryption } from "aws-cdk-lib/aws-s3";
import { type StackContext, StaticSite, use } from "sst/constructs";
import { Api } from "./api.ts";
import { Realtime } from "./realtime.ts";
import { settings } from "./settings.ts";

/**
 * The web app's bucket and CDN, in a stack of their own that comes before the API: the API's
 * CORS origin is the CDN's domain, and the site's build needs the API's URL. With SST's
 * StaticSite owning its CDN, the two stacks (and even one stack) would form a cycle.
 */
export function WebHosting({ stack }: StackContext) {
  const bucket = new Bucket(stack, "WebBucket", {
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    encryption: BucketEncryption.S3_MANAGED,
    enforceSSL: true,
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
  });
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
  stack.addOutputs({ WebUrl: site.url ?? "", ApiUrl: api.url, WebSocketUrl: ws.url });
  return { site };
}
