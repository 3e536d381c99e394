import { PRIORITIES, QUEUES, TABLE } from "@agentvine/core/resources";
import { Match, type Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { parseEnv } from "../functions/src/env.ts";
import { workerConfig } from "../workers/src/config.ts";
import { type NagFinding, nagFailures } from "./nag.ts";
import { agreeingViews, HANDLERS, runtimeViews } from "./runtime-views.ts";
import { settingsFor } from "./settings.ts";
import {
  actionsOf,
  functionEnvironments,
  logicalId,
  resourcesOf,
  roleStatements,
  synth,
  workerEnvironment,
} from "./synth.ts";
import { backlogSteps } from "./workers.ts";

// One synth of every stack for a development stage; production.test.ts covers what differs.
let t: Record<string, Template>;
let nag: NagFinding[];
beforeAll(async () => {
  ({ templates: t, nag } = await synth("test"));
}, 120_000);

const prefix = "test-agentvine";
/** The defaults of core/src/config.ts, as infra/settings.ts resolves them for a stage. */
const runtime = settingsFor("test", "us-east-1", {}).runtime;
/** Items and queries (of the table and its named indexes), writing to the function's own logs. */
const TABLE_AND_LOGS = [
  "dynamodb:BatchGetItem",
  "dynamodb:BatchWriteItem",
  "dynamodb:ConditionCheckItem",
  "dynamodb:DeleteItem",
  "dynamodb:GetItem",
  "dynamodb:PutItem",
  "dynamodb:Query",
  "dynamodb:UpdateItem",
  "logs:CreateLogStream",
  "logs:PutLogEvents",
];

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

const lambda = (stack: string, handler: string) => {
  const [id, fn] =
    Object.entries(
      t[stack]?.findResources("AWS::Lambda::Function", { Properties: { Handler: handler } }) ?? {},
    )[0] ?? [];
  if (!id || !fn) throw new Error(`no function ${handler} in ${stack}`);
  return { id, props: fn.Properties, role: fn.Properties.Role["Fn::GetAtt"][0] as string };
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
  it("gives every function, the worker and the queues the same lease, heartbeat and retries", () => {
    expect(runtimeViews(t)).toEqual(agreeingViews(runtime));
    // core's defaults: one lease outlasts several missed heartbeats.
    expect(runtime.visibilityTimeoutSeconds * 1000).toBe(runtime.leaseMs);
    expect(runtime.heartbeatIntervalMs * 3).toBeLessThanOrEqual(runtime.leaseMs);
  });

  it("passes the settings explicitly, not leaving them to each process's defaults", () => {
    const names = ["AGENTVINE_LEASE_MS", "AGENTVINE_HEARTBEAT_INTERVAL_MS", "AGENTVINE_MAX_RETRIES"];
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

describe("workers", () => {
  const workers = () => t.Workers as Template;

  it("runs a Fargate service without a load balancer, in public subnets, without a NAT gateway", () => {
    workers().hasResourceProperties("AWS::ECS::Service", {
      LaunchType: "FARGATE",
      ServiceName: `${prefix}-worker`,
      NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: "ENABLED" } },
    });
    const [, , service] = resourcesOf({ w: workers() }, "AWS::ECS::Service")[0] ?? [];
    expect(service.Properties.LoadBalancers).toBeUndefined();
    // A deploy leaves the count to autoscaling and the API's scaling endpoint.
    expect(service.Properties.DesiredCount).toBeUndefined();
    for (const type of [
      "AWS::EC2::NatGateway",
      "AWS::EC2::EIP",
      "AWS::ElasticLoadBalancingV2::LoadBalancer",
    ]) {
      expect(resourcesOf(t, type)).toEqual([]);
    }
  });

  it("admits nothing in and lets only HTTPS out", () => {
    const [, , sg] = resourcesOf({ w: workers() }, "AWS::EC2::SecurityGroup")[0] ?? [];
    expect(sg.Properties.SecurityGroupIngress).toBeUndefined();
    expect(sg.Properties.SecurityGroupEgress).toEqual([
      expect.objectContaining({ CidrIp: "0.0.0.0/0", IpProtocol: "tcp", FromPort: 443, ToPort: 443 }),
    ]);
  });

  it("scales between 0 and the maximum on the messages outstanding in the three queues", () => {
    workers().hasResourceProperties("AWS::ApplicationAutoScaling::ScalableTarget", {
      MinCapacity: 0,
      MaxCapacity: 10,
      ScalableDimension: "ecs:service:DesiredCount",
    });
    const policies = workers().findResources("AWS::ApplicationAutoScaling::ScalingPolicy");
    expect(
      Object.values(policies).map((p) => p.Properties.StepScalingPolicyConfiguration.AdjustmentType),
    ).toEqual(["ExactCapacity", "ExactCapacity"]);
    const alarms = resourcesOf({ w: workers() }, "AWS::CloudWatch::Alarm");
    expect(alarms).toHaveLength(2);
    // "Idle" scales to the minimum after 5 empty minutes (missing data counts as empty); "busy" acts at once.
    const thresholds = alarms.map(([, , a]) => {
      const { ComparisonOperator, Threshold, EvaluationPeriods, TreatMissingData } = a.Properties;
      return { ComparisonOperator, Threshold, EvaluationPeriods, TreatMissingData };
    });
    expect(thresholds).toEqual(
      expect.arrayContaining([
        {
          ComparisonOperator: "LessThanOrEqualToThreshold",
          Threshold: 0.25,
          EvaluationPeriods: 5,
          TreatMissingData: "breaching",
        },
        {
          ComparisonOperator: "GreaterThanOrEqualToThreshold",
          Threshold: 0.75,
          EvaluationPeriods: 1,
          TreatMissingData: "notBreaching",
        },
      ]),
    );
    for (const [, , alarm] of alarms) {
      const metrics = alarm.Properties.Metrics as {
        Id: string;
        Expression?: string;
        MetricStat?: { Metric: { MetricName: string; Dimensions: unknown } };
      }[];
      const stats = metrics.filter((m) => m.MetricStat);
      expect(stats.map((m) => m.MetricStat?.Metric.MetricName).sort()).toEqual(
        PRIORITIES.flatMap(() => [
          "ApproximateNumberOfMessagesNotVisible",
          "ApproximateNumberOfMessagesVisible",
        ]).sort(),
      );
      for (const p of PRIORITIES) {
        expect(JSON.stringify(stats.map((m) => m.MetricStat?.Metric.Dimensions))).toContain(
          `Queues:ExportsOutputFnGetAtt${p}Queue`,
        );
      }
      expect(metrics.find((m) => m.Expression)?.Expression).toBe(stats.map((m) => m.Id).join(" + "));
      // Each alarm drives one of the two step policies.
      expect(Object.keys(policies)).toContain(alarm.Properties.AlarmActions[0].Ref);
    }
  });

  it("steps to exactly ceil(outstanding / per worker) workers, capped at the maximum", () => {
    const upper = Object.values(workers().findResources("AWS::ApplicationAutoScaling::ScalingPolicy"))
      .map((p) => p.Properties.StepScalingPolicyConfiguration.StepAdjustments)
      .find((steps) => steps.length > 1);
    expect(upper.at(-1)).toEqual({ MetricIntervalLowerBound: 9, ScalingAdjustment: 10 });
    const steps = backlogSteps(100, 2);
    expect(steps).toHaveLength(40);
    expect(steps.at(-1)).toEqual({ lower: 98 * 2 + 0.75, change: 100 });
    expect(backlogSteps(3, 2)).toEqual([
      { upper: 0.25, change: 0 },
      { lower: 0.75, change: 1 },
      { lower: 2.75, change: 2 },
      { lower: 4.75, change: 3 },
    ]);
  });

  it("builds the image from workers/Dockerfile and hands the worker its environment and secret", () => {
    const [, , task] = resourcesOf({ w: workers() }, "AWS::ECS::TaskDefinition")[0] ?? [];
    const [container] = task.Properties.ContainerDefinitions;
    expect(task.Properties.RequiresCompatibilities).toEqual(["FARGATE"]);
    expect(container.StopTimeout).toBe(120);
    expect(JSON.stringify(container.Secrets)).toContain(
      `:parameter/sst/agentvine/test/Secret/WORKER_ENROLMENT_TOKEN/value`,
    );
    // The worker's own parser accepts what the task definition gives it.
    const config = workerConfig(workerEnvironment(t));
    expect(Object.keys(config.queueUrls).sort()).toEqual([...PRIORITIES].sort());
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

  it("the API receives the two SST secrets, fetched into its environment on every deploy", () => {
    const http = lambda("Api", "functions/src/lambda/http.handler");
    expect(http.props.Environment.Variables).toMatchObject({
      SST_Secret_value_ADMIN_TOKEN: "__FETCH_FROM_SSM__",
      SST_Secret_value_WORKER_ENROLMENT_TOKEN: "__FETCH_FROM_SSM__",
    });
    t.Api?.hasResourceProperties("Custom::SecretPrefetcher", { functionName: { Ref: http.id } });
  });
});

describe("IAM", () => {
  const allows = () =>
    Object.values(t)
      .flatMap((template) => [
        ...Object.values(template.findResources("AWS::IAM::Policy")).flatMap(
          (p) => p.Properties.PolicyDocument.Statement,
        ),
        ...Object.values(template.findResources("AWS::IAM::Role")).flatMap((r) =>
          (r.Properties.Policies ?? []).flatMap(
            (p: { PolicyDocument: { Statement: unknown[] } }) => p.PolicyDocument.Statement,
          ),
        ),
      ])
      .filter((s) => s.Effect === "Allow");

  it("grants no wildcard action anywhere, and no data action on every resource", () => {
    expect(allows().length).toBeGreaterThan(10);
    for (const s of allows()) {
      const actions = [s.Action].flat() as string[];
      for (const action of actions) expect(action).not.toMatch(/\*/);
      if (actions.some((a) => /^(dynamodb|sqs|execute-api|ecs|ssm):/.test(a))) {
        expect([s.Resource].flat()).not.toContain("*");
      }
    }
  });

  it("gives the API the table, its queue actions, posting to connections and the worker service's count", () => {
    const http = lambda("Api", "functions/src/lambda/http.handler");
    const statements = roleStatements(t.Api as Template, http.role);
    expect(actionsOf(statements)).toEqual(
      [
        ...TABLE_AND_LOGS,
        "ecs:DescribeServices",
        "ecs:UpdateService",
        "execute-api:ManageConnections",
        "sqs:ChangeMessageVisibility",
        "sqs:DeleteMessage",
        "sqs:GetQueueAttributes",
        "sqs:ReceiveMessage",
        "sqs:SendMessage",
      ].sort(),
    );
    const ecs = statements.find((s) => [s.Action].flat().includes("ecs:UpdateService"));
    expect(JSON.stringify(ecs.Resource)).toContain(`:service/${prefix}-workers/${prefix}-worker`);
    const dlqOnly = statements.find((s) => s.Action === "sqs:GetQueueAttributes");
    expect(JSON.stringify(dlqOnly.Resource).match(/dlqQueue/g)).toHaveLength(PRIORITIES.length);
  });

  it("names the table and its indexes, never index/*", () => {
    const http = lambda("Api", "functions/src/lambda/http.handler");
    const table = roleStatements(t.Api as Template, http.role).find((s) =>
      [s.Action].flat().includes("dynamodb:Query"),
    );
    expect(JSON.stringify(table.Resource).match(/\/index\/[^"]*/g)).toEqual(
      TABLE.indexes.map((i) => `/index/${i.name}`),
    );
  });

  it("gives the WebSocket routes the table only: they never post to connections", () => {
    const roles = new Set(
      ["connect", "disconnect", "message"].map(
        (r) => lambda("Realtime", `functions/src/lambda/ws.${r}`).role,
      ),
    );
    expect(roles.size).toBe(1);
    expect(actionsOf(roleStatements(t.Realtime as Template, [...roles][0] as string))).toEqual(
      TABLE_AND_LOGS,
    );
  });

  it("gives the schedule the table, re-sending and DLQ draining, and posting to connections", () => {
    const statements = roleStatements(
      t.Schedule as Template,
      lambda("Schedule", "functions/src/lambda/scheduled.handler").role,
    );
    expect(actionsOf(statements)).toEqual(
      [
        ...TABLE_AND_LOGS,
        "execute-api:ManageConnections",
        "sqs:ChangeMessageVisibility",
        "sqs:DeleteMessage",
        "sqs:GetQueueAttributes",
        "sqs:ReceiveMessage",
        "sqs:SendMessage",
      ].sort(),
    );
    const dead = statements.find((s) => JSON.stringify(s.Resource).includes("dlqQueue"));
    expect([dead.Action].flat().sort()).toEqual([
      "sqs:DeleteMessage",
      "sqs:GetQueueAttributes",
      "sqs:ReceiveMessage",
    ]);
  });

  it("scopes posting to connections to the WebSocket API's stage, for the API and the schedule only", () => {
    const posting = resourcesOf(t, "AWS::IAM::Policy").filter(([, , p]) =>
      JSON.stringify(p).includes("execute-api:ManageConnections"),
    );
    expect(posting.map(([stack]) => stack).sort()).toEqual(["Api", "Schedule"]);
    for (const [, , p] of posting) {
      const s = p.Properties.PolicyDocument.Statement.find(
        (x: { Action: unknown }) => x.Action === "execute-api:ManageConnections",
      );
      expect(JSON.stringify(s.Resource)).toMatch(/RealtimeApi\w+"},"\/test\/POST\/@connections\/\*"/);
    }
  });

  it("gives the worker task its queue actions and task protection in its own cluster, no table", () => {
    const [, , task] = resourcesOf({ w: t.Workers as Template }, "AWS::ECS::TaskDefinition")[0] ?? [];
    const roleId = task.Properties.TaskRoleArn["Fn::GetAtt"][0];
    const statements = roleStatements(t.Workers as Template, roleId);
    expect(actionsOf(statements)).toEqual([
      "ecs:UpdateTaskProtection",
      "sqs:ChangeMessageVisibility",
      "sqs:DeleteMessage",
      "sqs:GetQueueAttributes",
      "sqs:ReceiveMessage",
    ]);
    const protection = statements.find((s) => s.Action === "ecs:UpdateTaskProtection");
    expect(JSON.stringify(protection.Resource)).toMatch(/:task\/",\{"Ref":"Cluster\w+"\},"\/\*"/);
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
