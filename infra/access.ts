import { PRIORITIES, TABLE } from "@agentvine/core/resources";
import { Stack } from "aws-cdk-lib";
import { type IRole, PolicyStatement, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import type { LogGroup } from "aws-cdk-lib/aws-logs";
import type { IBucket } from "aws-cdk-lib/aws-s3";
import type { Construct, IConstruct } from "constructs";
import type { App, Table, WebSocketApi } from "sst/constructs";
import type { PriorityQueues } from "./queues.ts";
import { type RuntimeSettings, runtimeEnvironment } from "./settings.ts";
import { allowSnapshots, SNAPSHOT_ACCESS } from "./snapshots.ts";
import { suppress } from "./suppress.ts";

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

/** What every Lambda function is built from: the stage's table, queues, WebSocket API and snapshot bucket. */
export interface FunctionResources {
  table: Table;
  queues: PriorityQueues;
  ws: WebSocketApi;
  snapshots: IBucket;
}

/**
 * What the Lambda functions share: the table, the queues, the WebSocket endpoints, the snapshot
 * bucket and the runtime settings (the same values the workers and the queues get). Every
 * function builds the same core context, so each is given the bucket; only the API and the
 * schedule may delete in it.
 */
export const functionEnvironment = (
  scope: IConstruct,
  { table, queues, ws, snapshots }: FunctionResources,
  runtime: RuntimeSettings,
) => ({
  AGENTVINE_TABLE: table.tableName,
  AGENTVINE_QUEUE_URLS: queueUrlsJson(scope, queues),
  AGENTVINE_WS_URL: ws.url,
  AGENTVINE_WS_MANAGEMENT_URL: ws.cdk.webSocketStage.callbackUrl,
  AGENTVINE_BLOB_BUCKET: snapshots.bucketName,
  ...runtimeEnvironment(runtime),
});

/**
 * Items and the named GSIs of the table: ElectroDB's gets, puts, updates, deletes, queries and
 * their batches and transactions. No scans, no streams, no index wildcard.
 */
export const tableStatement = (table: Table) => {
  const arn = table.tableArn;
  return new PolicyStatement({
    actions: [
      "dynamodb:BatchGetItem",
      "dynamodb:BatchWriteItem",
      "dynamodb:ConditionCheckItem",
      "dynamodb:DeleteItem",
      "dynamodb:GetItem",
      "dynamodb:PutItem",
      "dynamodb:Query",
      "dynamodb:UpdateItem",
    ],
    resources: [arn, ...TABLE.indexes.map((i) => `${arn}/index/${i.name}`)],
  });
};

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

/**
 * What the API and the schedule both hold: the table, their access to the queues, posting to
 * sockets, and deleting the snapshots of runs that will never resume (cancelled, parked too long).
 */
export const allowTableQueuesAndSockets = (
  role: Role,
  { table, queues, ws, snapshots }: FunctionResources,
  access: (typeof QUEUE_ACCESS)[keyof typeof QUEUE_ACCESS],
) => {
  role.addToPolicy(tableStatement(table));
  for (const statement of queueStatements(queues, access)) role.addToPolicy(statement);
  allowManageConnections(role, ws);
  allowSnapshots(role, snapshots, SNAPSHOT_ACCESS.cleanup);
};

/** Posting to browser connections (the push port); nothing else of the WebSocket API. */
export const allowManageConnections = (role: Role, ws: WebSocketApi) => {
  const stage = ws.cdk.webSocketStage;
  role.addToPolicy(
    new PolicyStatement({
      actions: ["execute-api:ManageConnections"],
      resources: [
        Stack.of(stage).formatArn({
          service: "execute-api",
          resource: ws.cdk.webSocketApi.apiId,
          resourceName: `${stage.stageName}/POST/@connections/*`,
        }),
      ],
    }),
  );
  suppress(
    role,
    [
      {
        id: "AwsSolutions-IAM5",
        reason:
          "Connection ids exist only at run time; the grant is this WebSocket API's stage, POST to @connections only.",
        appliesTo: [{ regex: "/^Resource::arn:<AWS::Partition>:execute-api:.*/POST/@connections/\\*$/" }],
      },
    ],
    true,
  );
};

/**
 * A Lambda role with exactly the grants given, plus writing to its functions' own log groups
 * (instead of AWSLambdaBasicExecutionRole: every log group of the account). SST's constructs
 * add to a function's role on their own (WebSocketApi gives every route ManageConnections); the
 * role handed to them is immutable, so they cannot. `sst dev` is the exception: its stubs need
 * SST's IoT grants.
 */
export const lambdaRole = (
  scope: Construct,
  id: string,
  logs: LogGroup[],
  grant: (role: Role) => void,
): IRole => {
  const role = new Role(scope, id, { assumedBy: new ServicePrincipal("lambda.amazonaws.com") });
  for (const group of logs) group.grantWrite(role);
  grant(role);
  return (scope.node.root as App).mode === "dev" ? role : role.withoutPolicyUpdates();
};
