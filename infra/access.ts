import { PRIORITIES } from "@agentvine/core/resources";
import { Stack } from "aws-cdk-lib";
import { type IRole, ManagedPolicy, PolicyStatement, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import type { Construct, IConstruct } from "constructs";
import type { App, Table, WebSocketApi } from "sst/constructs";
import type { PriorityQueues } from "./queues.ts";

/**
 * The environment contract of functions/src/env.ts and workers/src/config.ts, and the IAM each
 * runtime needs: named SQS actions on the specific queues, never `sqs:*` (which SST's `bind`
 * would grant).
 */

/** AGENTVINE_QUEUE_URLS: `{"high":{"url","dlqUrl"},...}`, resolved by CloudFormation. */
export const queueUrlsJson = (scope: IConstruct, queues: PriorityQueues) =>
  Stack.of(scope).toJsonString(
    Object.fromEntries(
      PRIORITIES.map((p) => [p, { url: queues[p].main.queueUrl, dlqUrl: queues[p].dead.queueUrl }]),
    ),
  );

/** What the Lambda functions share: the table, the queues and the WebSocket endpoints. */
export const functionEnvironment = (
  scope: IConstruct,
  table: Table,
  queues: PriorityQueues,
  ws: WebSocketApi,
) => ({
  AGENTVINE_TABLE: table.tableName,
  AGENTVINE_QUEUE_URLS: queueUrlsJson(scope, queues),
  AGENTVINE_WS_URL: ws.url,
  AGENTVINE_WS_MANAGEMENT_URL: ws.cdk.webSocketStage.callbackUrl,
});

const SEND = "sqs:SendMessage";
const RECEIVE = "sqs:ReceiveMessage";
const DELETE = "sqs:DeleteMessage";
const VISIBILITY = "sqs:ChangeMessageVisibility";
const ATTRIBUTES = "sqs:GetQueueAttributes";

/** Who does what on the queues (see core/src/queue and workers/src/poller.ts). */
export const QUEUE_ACCESS = {
  /** Enqueue, claim, heartbeat, release, finish; depth of main queues and DLQs for the stats. */
  api: { main: [SEND, RECEIVE, DELETE, VISIBILITY, ATTRIBUTES], dead: [ATTRIBUTES] },
  /** Reaper and offline detection release/finish work; the reconciler re-sends and drains DLQs. */
  scheduled: { main: [SEND, DELETE, VISIBILITY, ATTRIBUTES], dead: [RECEIVE, DELETE, ATTRIBUTES] },
  /** Workers long-poll, hide and release deliveries; sending is the API's job. */
  worker: { main: [RECEIVE, DELETE, VISIBILITY, ATTRIBUTES], dead: [] },
} as const satisfies Record<string, { main: readonly string[]; dead: readonly string[] }>;

export const queueStatements = (
  queues: PriorityQueues,
  access: (typeof QUEUE_ACCESS)[keyof typeof QUEUE_ACCESS],
) =>
  (["main", "dead"] as const)
    .filter((kind) => access[kind].length > 0)
    .map(
      (kind) =>
        new PolicyStatement({
          actions: [...access[kind]],
          resources: PRIORITIES.map((p) => queues[p][kind].queueArn),
        }),
    );

/** Posting to browser connections (the push port); nothing else of the WebSocket API. */
export const manageConnectionsStatement = (ws: WebSocketApi) => {
  const stage = ws.cdk.webSocketStage;
  return new PolicyStatement({
    actions: ["execute-api:ManageConnections"],
    resources: [
      Stack.of(stage).formatArn({
        service: "execute-api",
        resource: ws.cdk.webSocketApi.apiId,
        resourceName: `${stage.stageName}/POST/@connections/*`,
      }),
    ],
  });
};

/**
 * A Lambda role with exactly the grants given. SST's constructs add to a function's role on
 * their own (WebSocketApi gives every route ManageConnections); the role handed to them is
 * immutable, so they cannot. `sst dev` is the exception: its stubs need SST's IoT grants.
 */
export const lambdaRole = (scope: Construct, id: string, grant: (role: Role) => void): IRole => {
  const role = new Role(scope, id, {
    assumedBy: new ServicePrincipal("lambda.amazonaws.com"),
    managedPolicies: [ManagedPolicy.fromAwsManagedPolicyName("service-role/AWSLambdaBasicExecutionRole")],
  });
  grant(role);
  return (scope.node.root as App).mode === "dev" ? role : role.withoutPolicyUpdates();
};
