import { PRIORITIES, TABLE } from "@agentvine/core/resources";
import type { Template } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { actionsOf, lambdaOf, prefixOf, resourcesOf, roleStatements } from "../synth.ts";

/** Items and queries (of the table and its named indexes), writing to the function's own logs. */
export const TABLE_AND_LOGS = [
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

/** Posting to connections and every queue action: what the API and the schedule both hold. */
const PUSH_AND_QUEUES = [
  "execute-api:ManageConnections",
  "sqs:ChangeMessageVisibility",
  "sqs:DeleteMessage",
  "sqs:GetQueueAttributes",
  "sqs:ReceiveMessage",
  "sqs:SendMessage",
];

/** Deleting the snapshots of runs that will never resume: the API (cancel) and the schedule (parked too long). */
const SNAPSHOT_CLEANUP = ["s3:DeleteObject"];

/** Test support (run by stacks.test.ts on its synth of the "test" stage): least privilege. */
export const iamChecks = (t: () => Record<string, Template>) => {
  const prefix = prefixOf("test");
  const lambda = (stack: string, handler: string) => lambdaOf(t(), stack, handler);
  describe("IAM", () => {
    const allows = () =>
      Object.values(t())
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
        if (actions.some((a) => /^(dynamodb|sqs|execute-api|ecs|ssm|s3):/.test(a))) {
          expect([s.Resource].flat()).not.toContain("*");
        }
      }
    });

    it("gives the API the table, its queue actions, posting to connections and the worker service's count", () => {
      const http = lambda("Api", "functions/src/lambda/http.handler");
      const statements = roleStatements(t().Api as Template, http.role);
      expect(actionsOf(statements)).toEqual(
        [
          ...TABLE_AND_LOGS,
          "ecs:DescribeServices",
          "ecs:UpdateService",
          ...PUSH_AND_QUEUES,
          ...SNAPSHOT_CLEANUP,
        ].sort(),
      );
      const ecs = statements.find((s) => [s.Action].flat().includes("ecs:UpdateService"));
      expect(JSON.stringify(ecs.Resource)).toContain(`:service/${prefix}-workers/${prefix}-worker`);
      const dlqOnly = statements.find((s) => s.Action === "sqs:GetQueueAttributes");
      expect(JSON.stringify(dlqOnly.Resource).match(/dlqQueue/g)).toHaveLength(PRIORITIES.length);
    });

    it("names the table and its indexes, never index/*", () => {
      const http = lambda("Api", "functions/src/lambda/http.handler");
      const table = roleStatements(t().Api as Template, http.role).find((s) =>
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
      expect(actionsOf(roleStatements(t().Realtime as Template, [...roles][0] as string))).toEqual(
        TABLE_AND_LOGS,
      );
    });

    it("gives the schedule the table, re-sending and DLQ draining, and posting to connections", () => {
      const statements = roleStatements(
        t().Schedule as Template,
        lambda("Schedule", "functions/src/lambda/scheduled.handler").role,
      );
      expect(actionsOf(statements)).toEqual(
        [...TABLE_AND_LOGS, ...PUSH_AND_QUEUES, ...SNAPSHOT_CLEANUP].sort(),
      );
      const dead = statements.find((s) => JSON.stringify(s.Resource).includes("dlqQueue"));
      expect([dead.Action].flat().sort()).toEqual([
        "sqs:DeleteMessage",
        "sqs:GetQueueAttributes",
        "sqs:ReceiveMessage",
      ]);
    });

    it("scopes posting to connections to the WebSocket API's stage, for the API and the schedule only", () => {
      const posting = resourcesOf(t(), "AWS::IAM::Policy").filter(([, , p]) =>
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

    it("gives the worker task its queue actions, snapshots and task protection in its own cluster, no table", () => {
      const [, , task] = resourcesOf({ w: t().Workers as Template }, "AWS::ECS::TaskDefinition")[0] ?? [];
      const roleId = task.Properties.TaskRoleArn["Fn::GetAtt"][0];
      const statements = roleStatements(t().Workers as Template, roleId);
      expect(actionsOf(statements)).toEqual([
        "ecs:UpdateTaskProtection",
        "s3:GetObject",
        "s3:ListBucket",
        "s3:PutObject",
        "sqs:ChangeMessageVisibility",
        "sqs:DeleteMessage",
        "sqs:GetQueueAttributes",
        "sqs:ReceiveMessage",
      ]);
      const protection = statements.find((s) => s.Action === "ecs:UpdateTaskProtection");
      expect(JSON.stringify(protection.Resource)).toMatch(/:task\/",\{"Ref":"Cluster\w+"\},"\/\*"/);
    });
  });
};
