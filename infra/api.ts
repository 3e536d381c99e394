import { PolicyStatement } from "aws-cdk-lib/aws-iam";
import { Api as HttpApi, type StackContext, use } from "sst/constructs";
import { allowTableQueuesAndSockets, functionEnvironment, lambdaRole, QUEUE_ACCESS } from "./access.ts";
import { logGroup } from "./logs.ts";
import { Queues } from "./queues.ts";
import { Realtime } from "./realtime.ts";
import { Secrets } from "./secrets.ts";
import { settings, workerNames } from "./settings.ts";
import { Snapshots } from "./snapshots.ts";
import { Storage } from "./storage.ts";
import { suppress } from "./suppress.ts";
import { WebHosting } from "./web.ts";
import { allowWebhookEvents, Webhooks, webhookEnvironment } from "./webhooks.ts";

/**
 * The HTTP API: every request goes to the Hono app (payload v2). CORS admits the stage's web
 * origin only (and AGENTVINE_CORS_ORIGINS, e.g. a local Vite server during `sst dev`).
 */
export function Api({ stack, app }: StackContext) {
  const { table } = use(Storage);
  const { queues } = use(Queues);
  const { ws } = use(Realtime);
  const { bucket: snapshots } = use(Snapshots);
  const resources = { table, queues, ws, snapshots };
  const { origin } = use(WebHosting);
  const secrets = use(Secrets);
  const { webhookQueue } = use(Webhooks);
  const workers = workerNames(app);
  const { logRetention, extraCorsOrigins, runtime } = settings(app);
  const logs = logGroup(stack, "ApiLogs");
  const role = lambdaRole(stack, "ApiRole", [logs], (r) => {
    allowTableQueuesAndSockets(r, resources, QUEUE_ACCESS.api);
    allowWebhookEvents(r, webhookQueue);
    // The scaling endpoint: the worker service's desired count (ECS UpdateService) and its state.
    r.addToPolicy(
      new PolicyStatement({
        actions: ["ecs:DescribeServices", "ecs:UpdateService"],
        resources: [
          stack.formatArn({
            service: "ecs",
            resource: "service",
            resourceName: `${workers.cluster}/${workers.service}`,
          }),
        ],
      }),
    );
  });
  const api = new HttpApi(stack, "Api", {
    cors: {
      allowOrigins: [origin, ...extraCorsOrigins],
      allowHeaders: ["authorization", "content-type"],
      allowMethods: ["ANY"],
      maxAge: "1 day",
    },
    accessLog: { retention: logRetention },
    routes: {
      $default: {
        function: {
          handler: "functions/src/lambda/http.handler",
          role,
          logGroup: logs,
          timeout: "29 seconds",
          environment: {
            ...functionEnvironment(stack, resources, runtime),
            ...webhookEnvironment(webhookQueue),
            AGENTVINE_ECS_CLUSTER: workers.cluster,
            AGENTVINE_ECS_SERVICE: workers.service,
          },
          // SST writes the secrets' values into SST_Secret_value_<NAME> on every deploy.
          bind: [secrets.adminToken, secrets.workerEnrolmentToken, secrets.controllerApiKey],
          prefetchSecrets: true,
        },
      },
    },
  });
  suppress(
    api,
    [
      {
        id: "AwsSolutions-APIG4",
        reason:
          "The Hono app authenticates every /api/v1 request itself (bearer token checked against the table, then the route's roles); only /healthz and the OpenAPI document are public.",
      },
      {
        id: "AwsSolutions-IAM5",
        reason:
          "SST's secret prefetcher (its custom resource) reads this app's and stage's SST parameters (and SST's .fallback ones) to put the secrets into the function's environment.",
        appliesTo: [{ regex: "/^Resource::arn:<AWS::Partition>:ssm:.*:parameter/sst/agentvine/[^/]+/\\*$/" }],
      },
    ],
    true,
  );
  return { api };
}
