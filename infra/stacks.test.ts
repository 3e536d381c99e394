import { PRIORITIES, QUEUES, TABLE } from "@agentvine/core/resources";
import { Match, type Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { parseEnv } from "../functions/src/env.ts";
import { iamChecks } from "./checks/iam.ts";
import { snapshotChecks } from "./checks/snapshots.ts";
import { webhookChecks } from "./checks/webhooks.ts";
import { workerChecks } from "./checks/workers.ts";
import { type NagFinding, nagFailures } from "./nag.ts";
import { agreeingViews, HANDLERS, runtimeViews } from "./runtime-views.ts";
import { settingsFor } from "./settings.ts";
import {
  functionEnvironments,
  lambdaOf,
  logicalId,
  prefixOf,
  resourcesOf,
  synth,
  workerEnvironment,
} from "./synth.ts";

// One synth of every stack for a development stage; production.test.ts covers what differs.
let t: Record<string, Template>;
let nag: NagFinding[];
beforeAll(async () => {
  ({ templates: t, nag } = await synth("test"));
}, 120_000);

const prefix = prefixOf("test");
const lambda = (stack: string, handler: string) => lambdaOf(t, stack, handler);
/** The defaults of core/src/config.ts, as infra/settings.ts resolves them for a stage. */
const runtime = settingsFor("test", "us-east-1", {}).runtime;
/** The function behind an API Gateway v2 route, through its integration. */
const routeHandler = (template: Template, routeKey: string) => {
  const route = Object.values(
    template.findResources("AWS::ApiGatewayV2::Route", { Properties: { RouteKey: routeKey } }),
  )[0];
  const integrationId = route?.Properties.Target["Fn::Join"][1][1].Ref;
  const uri = JSON.stringify(template.toJSON().Resources[integrationId].Properties.IntegrationUri);
  const functionId = uri.match(/"Fn::GetAtt":\["([^"]+)","Arn"\]/)?.[1] ?? "";
  return template.toJSON().Resources[functionId].Properties.Handler as string;
};

describe("storage", () => {
  it("builds the table from core/src/resources.ts: keys, indexes, TTL, on-demand", () => {
    t.Storage?.hasResourceProperties("AWS::DynamoDB::Table", {
      KeySchema: [
        { AttributeName: TABLE.partitionKey, KeyType: "HASH" },
        { AttributeName: TABLE.sortKey, KeyType: "RANGE" },
      ],
      GlobalSecondaryIndexes: TABLE.indexes.map((i) => ({
        IndexName: i.name,
        KeySchema: [
          { AttributeName: i.partitionKey, KeyType: "HASH" },
          { AttributeName: i.sortKey, KeyType: "RANGE" },
        ],
        Projection: { ProjectionType: "ALL" },
      })),
      TimeToLiveSpecification: { AttributeName: TABLE.ttlAttribute, Enabled: true },
      BillingMode: "PAY_PER_REQUEST",
    });
  });

  it("is disposable on a development stage (no PITR, deleted with the stage)", () => {
    t.Storage?.hasResource("AWS::DynamoDB::Table", {
      DeletionPolicy: "Delete",
      Properties: Match.objectLike({
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false },
      }),
    });
  });
});

describe("queues", () => {
  it("has a queue and a dead-letter queue per priority, redriven after maxReceiveCount", () => {
    t.Queues?.resourceCountIs("AWS::SQS::Queue", PRIORITIES.length * 2);
    for (const p of PRIORITIES) {
      const dlq = logicalId(t.Queues as Template, "AWS::SQS::Queue", {
        QueueName: QUEUES.dlqName(prefix, p),
      });
      t.Queues?.hasResourceProperties("AWS::SQS::Queue", {
        QueueName: QUEUES.name(prefix, p),
        RedrivePolicy: {
          deadLetterTargetArn: { "Fn::GetAtt": [dlq, "Arn"] },
          maxReceiveCount: QUEUES.maxReceiveCount,
        },
        VisibilityTimeout: runtime.visibilityTimeoutSeconds,
        ReceiveMessageWaitTimeSeconds: QUEUES.receiveWaitSeconds,
        MessageRetentionPeriod: QUEUES.messageRetentionSeconds,
      });
    }
  });

  it("encrypts every queue at rest and refuses plain HTTP", () => {
    t.Queues?.resourcePropertiesCountIs(
      "AWS::SQS::Queue",
      { SqsManagedSseEnabled: true },
      PRIORITIES.length * 2,
    );
    t.Queues?.resourcePropertiesCountIs(
      "AWS::SQS::QueuePolicy",
      {
        PolicyDocument: {
          Statement: [
            Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
          ],
        },
      },
      PRIORITIES.length * 2,
    );
  });
});

describe("configuration", () => {
  it("gives every function, the worker and the queues the same lease, heartbeat, retries and park settings", () => {
    expect(runtimeViews(t)).toEqual(agreeingViews(runtime));
    // core's defaults: one lease outlasts several missed heartbeats.
    expect(runtime.visibilityTimeoutSeconds * 1000).toBe(runtime.leaseMs);
    expect(runtime.heartbeatIntervalMs * 3).toBeLessThanOrEqual(runtime.leaseMs);
  });

  it("passes the settings explicitly, not leaving them to each process's defaults", () => {
    const names = [
      "AGENTVINE_LEASE_MS",
      "AGENTVINE_HEARTBEAT_INTERVAL_MS",
      "AGENTVINE_MAX_RETRIES",
      "AGENTVINE_PARK_AFTER_MS",
      "AGENTVINE_PARK_MAX_MS",
    ];
    for (const env of [...functionEnvironments(t).map((f) => f.env), workerEnvironment(t)])
      expect(Object.keys(env)).toEqual(expect.arrayContaining(names));
  });
});

describe("APIs", () => {
  it("routes $connect, $disconnect and $default of the WebSocket API to the ws handlers", () => {
    const ws = t.Realtime as Template;
    ws.hasResourceProperties("AWS::ApiGatewayV2::Api", { ProtocolType: "WEBSOCKET" });
    ws.resourceCountIs("AWS::ApiGatewayV2::Route", 3);
    expect(routeHandler(ws, "$connect")).toBe("functions/src/lambda/ws.connect");
    expect(routeHandler(ws, "$disconnect")).toBe("functions/src/lambda/ws.disconnect");
    expect(routeHandler(ws, "$default")).toBe("functions/src/lambda/ws.message");
    // The pong of a ping travels back as the $default route's response.
    ws.resourceCountIs("AWS::ApiGatewayV2::RouteResponse", 1);
  });

  it("serves the whole REST app from the HTTP API's $default route, CORS for the web origin only", () => {
    const api = t.Api as Template;
    expect(routeHandler(api, "$default")).toBe("functions/src/lambda/http.handler");
    const [, , httpApi] = resourcesOf({ api }, "AWS::ApiGatewayV2::Api")[0] ?? [];
    const cors = httpApi.Properties.CorsConfiguration;
    expect(cors.AllowOrigins).toHaveLength(1);
    expect(JSON.stringify(cors.AllowOrigins[0])).toMatch(
      /WebHosting:ExportsOutputFnGetAttWebCdn\w+DomainName/,
    );
    expect(cors.AllowCredentials).toBe(false);
  });
});

describe("schedule", () => {
  it("runs the scheduled handler every minute from an EventBridge rule", () => {
    const tick = lambda("Schedule", "functions/src/lambda/scheduled.handler");
    t.Schedule?.hasResourceProperties("AWS::Events::Rule", {
      ScheduleExpression: "rate(1 minute)",
      State: "ENABLED",
      Targets: [Match.objectLike({ Arn: { "Fn::GetAtt": [tick.id, "Arn"] } })],
    });
  });

  it("hands a worker's stopped ECS task to its handler, for this cluster only", () => {
    const stopped = lambda("Schedule", "functions/src/lambda/worker-stopped.handler");
    t.Schedule?.hasResourceProperties("AWS::Events::Rule", {
      EventPattern: {
        source: ["aws.ecs"],
        "detail-type": ["ECS Task State Change"],
        detail: {
          clusterArn: [Match.objectLike({ "Fn::ImportValue": Match.stringLikeRegexp("Cluster") })],
          lastStatus: ["STOPPED"],
        },
      },
      Targets: [Match.objectLike({ Arn: { "Fn::GetAtt": [stopped.id, "Arn"] } })],
    });
  });
});

describe("web", () => {
  it("serves a private bucket through CloudFront and builds the site with the stage's URLs", () => {
    t.WebHosting?.hasResourceProperties("AWS::S3::Bucket", {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
    t.WebHosting?.resourceCountIs("AWS::CloudFront::OriginAccessControl", 1);
    const [, , upload] = resourcesOf(t, "Custom::S3Uploader")[0] ?? [];
    const replaced = Object.fromEntries(
      upload.Properties.replaceValues.map((r: { search: string; replace: unknown }) => [
        r.search,
        JSON.stringify(r.replace),
      ]),
    );
    expect(replaced["{{ VITE_API_URL }}"]).toMatch(/Api:ExportsOutputFnGetAttApi\w+ApiEndpoint/);
    expect(replaced["{{ VITE_WS_URL }}"]).toMatch(/"wss:\/\/".*Realtime:ExportsOutputRefRealtimeApi/);
  });
});

describe("Lambda functions", () => {
  // Ours and SST's. Not CDK's bucket-emptying provider (autoDeleteObjects): a raw CloudFormation
  // resource whose runtime and role CDK fixes, outside cdk-nag's checks.
  const functions = () =>
    resourcesOf(t, "AWS::Lambda::Function").filter(
      ([, id]) => !id.startsWith("CustomS3AutoDeleteObjectsCustomResourceProvider"),
    );

  it("all run on nodejs24.x, SST's custom resource handlers included", () => {
    expect(functions().length).toBeGreaterThan(5);
    for (const [stack, id, fn] of functions())
      expect(`${stack}/${id}: ${fn.Properties.Runtime}`).toBe(`${stack}/${id}: nodejs24.x`);
  });

  it("log to groups of their own, kept two weeks on a development stage, and no LogRetention helper", () => {
    for (const [stack, id, fn] of functions()) {
      const group = fn.Properties.LoggingConfig?.LogGroup?.Ref;
      expect(group, `${stack}/${id}`).toBeDefined();
      const { Type, Properties, DeletionPolicy } = t[stack]!.toJSON().Resources[group];
      expect([Type, Properties.RetentionInDays, DeletionPolicy]).toEqual([
        "AWS::Logs::LogGroup",
        14,
        "Delete",
      ]);
    }
    expect(resourcesOf(t, "Custom::LogRetention")).toEqual([]);
  });

  it("get exactly the environment functions/src/env.ts parses", () => {
    const environments = functionEnvironments(t);
    expect(environments.map((f) => f.handler).sort()).toEqual([...HANDLERS].sort());
    for (const { env } of environments) {
      const parsed = parseEnv(env);
      expect(Object.keys(parsed.AGENTVINE_QUEUE_URLS).sort()).toEqual([...PRIORITIES].sort());
      expect(parsed.AGENTVINE_WS_URL).toMatch(/^wss:\/\//);
      expect(parsed.AGENTVINE_WS_MANAGEMENT_URL).toMatch(/^https:\/\//);
    }
    expect(lambda("Api", "functions/src/lambda/http.handler").props.Environment.Variables).toMatchObject({
      AGENTVINE_ECS_CLUSTER: `${prefix}-workers`,
      AGENTVINE_ECS_SERVICE: `${prefix}-worker`,
    });
  });

  it("the API receives its three SST secrets, fetched into its environment on every deploy", () => {
    const http = lambda("Api", "functions/src/lambda/http.handler");
    expect(http.props.Environment.Variables).toMatchObject({
      SST_Secret_value_ADMIN_TOKEN: "__FETCH_FROM_SSM__",
      SST_Secret_value_WORKER_ENROLMENT_TOKEN: "__FETCH_FROM_SSM__",
      SST_Secret_value_CONTROLLER_API_KEY: "__FETCH_FROM_SSM__",
    });
    t.Api?.hasResourceProperties("Custom::SecretPrefetcher", { functionName: { Ref: http.id } });
    // The agents' secrets are the workers' alone: no function can read them.
    const everyEnv = JSON.stringify(functionEnvironments(t));
    expect(everyEnv).not.toContain("ANTHROPIC_API_KEY");
    expect(everyEnv).not.toContain("GIT_TOKEN");
  });
});

describe("cdk-nag", () => {
  it("finds no unsuppressed AwsSolutions error in any stack", () => {
    expect(nagFailures(nag)).toEqual([]);
    // The checks did run: warnings are reported (not failures), and every suppression has its reason.
    expect(nag.filter((f) => f.level === "warning").map((f) => f.rule)).toContain("AwsSolutions-CFR2");
    const suppressed = nag.filter((f) => f.level === "suppressed");
    expect(suppressed.length).toBeGreaterThan(5);
    for (const f of suppressed) expect(f.info.length, `${f.resource} ${f.rule}`).toBeGreaterThan(40);
  });

  it("fails on errors and on rules that could not run, not on warnings or suppressed findings", () => {
    const finding = (level: NagFinding["level"]) => ({
      rule: "AwsSolutions-X1",
      level,
      resource: "S/R",
      info: level,
    });
    expect(
      nagFailures(["warning", "suppressed", "error", "failed"].map((l) => finding(l as NagFinding["level"]))),
    ).toEqual(["S/R: AwsSolutions-X1 error", "S/R: AwsSolutions-X1 failed"]);
  });
});

workerChecks(() => t);
iamChecks(() => t);
snapshotChecks(() => t);
webhookChecks(() => t);
