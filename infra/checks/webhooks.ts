import { WEBHOOK_QUEUE } from "@agentvine/core/resources";
import { Match, type Template } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { actionsOf, lambdaOf, logicalId, prefixOf, roleStatements } from "../synth.ts";
import { TABLE_AND_LOGS } from "./iam.ts";

const DELIVERY = "functions/src/lambda/webhook-delivery.handler";

/** Test support (run by stacks.test.ts on its synth of the "test" stage): the webhook queue and its Lambda. */
export const webhookChecks = (t: () => Record<string, Template>) => {
  const prefix = prefixOf("test");
  const webhooks = () => t().Webhooks as Template;

  describe("webhooks", () => {
    it("builds the webhook queue and its dead-letter queue from core/src/resources.ts, encrypted and TLS-only", () => {
      const dlq = logicalId(webhooks(), "AWS::SQS::Queue", { QueueName: WEBHOOK_QUEUE.dlqName(prefix) });
      webhooks().hasResourceProperties("AWS::SQS::Queue", {
        QueueName: WEBHOOK_QUEUE.name(prefix),
        RedrivePolicy: {
          deadLetterTargetArn: { "Fn::GetAtt": [dlq, "Arn"] },
          maxReceiveCount: WEBHOOK_QUEUE.maxReceiveCount,
        },
        VisibilityTimeout: WEBHOOK_QUEUE.visibilityTimeoutSeconds,
        SqsManagedSseEnabled: true,
      });
      webhooks().resourcePropertiesCountIs("AWS::SQS::Queue", { SqsManagedSseEnabled: true }, 2);
      webhooks().resourcePropertiesCountIs(
        "AWS::SQS::QueuePolicy",
        {
          PolicyDocument: {
            Statement: [
              Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
            ],
          },
        },
        2,
      );
    });

    it("feeds the delivery Lambda from the queue, reporting failed messages one by one, within the visibility timeout", () => {
      const fn = lambdaOf(t(), "Webhooks", DELIVERY);
      const queue = logicalId(webhooks(), "AWS::SQS::Queue", { QueueName: WEBHOOK_QUEUE.name(prefix) });
      webhooks().hasResourceProperties("AWS::Lambda::EventSourceMapping", {
        EventSourceArn: { "Fn::GetAtt": [queue, "Arn"] },
        FunctionName: { Ref: fn.id },
        FunctionResponseTypes: ["ReportBatchItemFailures"],
      });
      expect(fn.props.Timeout).toBeLessThan(WEBHOOK_QUEUE.visibilityTimeoutSeconds);
      const env = fn.props.Environment.Variables;
      expect(env.AGENTVINE_WEBHOOK_QUEUE_URL).toEqual({ Ref: queue });
      expect(JSON.stringify(env.AGENTVINE_PUBLIC_URL)).toMatch(
        /"https:\/\/".*WebHosting:ExportsOutputFnGetAttWebCdn/,
      );
    });

    it("gives the delivery Lambda the table and the webhook queue only; the API and the schedule may only send to it", () => {
      const fn = lambdaOf(t(), "Webhooks", DELIVERY);
      const statements = roleStatements(webhooks(), fn.role);
      expect(actionsOf(statements)).toEqual([
        ...TABLE_AND_LOGS,
        "sqs:ChangeMessageVisibility",
        "sqs:DeleteMessage",
        "sqs:GetQueueAttributes",
        "sqs:ReceiveMessage",
        "sqs:SendMessage",
      ]);
      const onQueues = statements.filter((s) => [s.Action].flat().some((a: string) => a.startsWith("sqs:")));
      for (const s of onQueues)
        expect(JSON.stringify(s.Resource)).toMatch(/^\{"Fn::GetAtt":\["webhooksQueue\w+","Arn"\]\}$/);

      for (const [stack, handler] of [
        ["Api", "functions/src/lambda/http.handler"],
        ["Schedule", "functions/src/lambda/scheduled.handler"],
      ] as const) {
        const f = lambdaOf(t(), stack, handler);
        expect(JSON.stringify(f.props.Environment.Variables.AGENTVINE_WEBHOOK_QUEUE_URL)).toMatch(
          /webhooksQueue/,
        );
        const sends = roleStatements(t()[stack] as Template, f.role).filter((s) =>
          JSON.stringify(s.Resource).includes("webhooksQueue"),
        );
        expect(sends.map((s) => s.Action)).toEqual(["sqs:SendMessage"]);
      }
    });
  });
};
