import { PRIORITIES, QUEUES, TABLE, WEBHOOK_QUEUE } from "@agentvine/core/resources";
import { DescribeTableCommand, DescribeTimeToLiveCommand } from "@aws-sdk/client-dynamodb";
import {
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type FreshResources, freshResources } from "../../test/engines.ts";
import { provisionQueues, provisionTable, provisionWebhookQueue } from "./provision.ts";

let res: FreshResources;

beforeAll(async () => {
  res = await freshResources("provision");
});

afterAll(() => {
  res?.dynamo.destroy();
  res?.sqs.destroy();
});

describe("provisionTable", () => {
  it("creates the table with exactly the keys and indexes of TABLE", async () => {
    const { Table } = await res.dynamo.send(new DescribeTableCommand({ TableName: res.tableName }));
    expect(Table?.TableStatus).toBe("ACTIVE");
    expect(Table?.KeySchema).toEqual([
      { AttributeName: TABLE.partitionKey, KeyType: "HASH" },
      { AttributeName: TABLE.sortKey, KeyType: "RANGE" },
    ]);
    const indexes = (Table?.GlobalSecondaryIndexes ?? [])
      .map((i) => ({
        name: i.IndexName,
        keys: i.KeySchema?.map((k) => [k.AttributeName, k.KeyType]),
        projection: i.Projection?.ProjectionType,
      }))
      .sort((a, b) => String(a.name).localeCompare(String(b.name)));
    expect(indexes).toEqual(
      TABLE.indexes.map((i) => ({
        name: i.name,
        keys: [
          [i.partitionKey, "HASH"],
          [i.sortKey, "RANGE"],
        ],
        projection: "ALL",
      })),
    );
    expect(Table?.LocalSecondaryIndexes ?? []).toEqual([]);
  });

  it("enables TTL on TABLE.ttlAttribute where the engine supports it", async () => {
    const { TimeToLiveDescription } = await res.dynamo.send(
      new DescribeTimeToLiveCommand({ TableName: res.tableName }),
    );
    if (inject("dynamoKind") === "dynalite") {
      // dynalite has no UpdateTimeToLive: provisioning must have tolerated that.
      expect(TimeToLiveDescription?.TimeToLiveStatus).toBe("DISABLED");
    } else {
      expect(TimeToLiveDescription?.AttributeName).toBe(TABLE.ttlAttribute);
      expect(["ENABLED", "ENABLING"]).toContain(TimeToLiveDescription?.TimeToLiveStatus);
    }
  });

  it("is idempotent", async () => {
    await expect(provisionTable(res.dynamo, res.tableName)).resolves.toBeUndefined();
    await expect(provisionTable(res.dynamo, res.tableName)).resolves.toBeUndefined();
  });
});

describe("provisionQueues", () => {
  it("creates every priority's queue with the redrive policy of QUEUES", async () => {
    for (const priority of PRIORITIES) {
      const { url, dlqUrl } = res.queueUrls[priority];
      const dlq = await res.sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ["QueueArn"] }),
      );
      const main = await res.sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["All"] }),
      );
      const attrs = main.Attributes ?? {};
      expect(attrs.QueueArn?.endsWith(`:${QUEUES.name(res.tableName, priority)}`)).toBe(true);
      expect(dlq.Attributes?.QueueArn?.endsWith(`:${QUEUES.dlqName(res.tableName, priority)}`)).toBe(true);
      expect(JSON.parse(attrs.RedrivePolicy ?? "{}")).toEqual({
        deadLetterTargetArn: dlq.Attributes?.QueueArn,
        maxReceiveCount: QUEUES.maxReceiveCount,
      });
      expect(Number(attrs.VisibilityTimeout)).toBe(QUEUES.visibilityTimeoutSeconds);
      expect(Number(attrs.MessageRetentionPeriod)).toBe(QUEUES.messageRetentionSeconds);
      expect(Number(attrs.ReceiveMessageWaitTimeSeconds)).toBe(QUEUES.receiveWaitSeconds);
    }
  });

  it("is idempotent and returns the same URLs", async () => {
    const prefix = res.tableName; // freshResources uses one unique name for both
    await expect(provisionQueues(res.sqs, prefix)).resolves.toEqual(res.queueUrls);
  });

  it("moves a message received more than maxReceiveCount times to the DLQ", async () => {
    const { url, dlqUrl } = res.queueUrls.low;
    await res.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "poison" }));
    for (let i = 1; i <= QUEUES.maxReceiveCount; i++) {
      const { Messages } = await res.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: url, VisibilityTimeout: 0, WaitTimeSeconds: 1 }),
      );
      expect(
        Messages?.map((m) => m.Body),
        `receive #${i}`,
      ).toEqual(["poison"]);
    }
    // The next receive finds the message over its limit and redrives it.
    const after = await res.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 1 }));
    expect(after.Messages ?? []).toEqual([]);

    const dead = await res.sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, WaitTimeSeconds: 1 }));
    expect(dead.Messages?.map((m) => m.Body)).toEqual(["poison"]);
    const receipt = dead.Messages?.[0]?.ReceiptHandle;
    if (receipt) await res.sqs.send(new DeleteMessageCommand({ QueueUrl: dlqUrl, ReceiptHandle: receipt }));
  });
});

describe("provisionWebhookQueue", () => {
  it("creates the webhook queue with the shape and redrive policy of WEBHOOK_QUEUE, idempotently", async () => {
    const url = await provisionWebhookQueue(res.sqs, res.tableName);
    await expect(provisionWebhookQueue(res.sqs, res.tableName)).resolves.toBe(url);
    const { Attributes: attrs = {} } = await res.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["All"] }),
    );
    expect(attrs.QueueArn?.endsWith(`:${WEBHOOK_QUEUE.name(res.tableName)}`)).toBe(true);
    expect(JSON.parse(attrs.RedrivePolicy ?? "{}")).toEqual({
      deadLetterTargetArn: expect.stringMatching(new RegExp(`:${WEBHOOK_QUEUE.dlqName(res.tableName)}$`)),
      maxReceiveCount: WEBHOOK_QUEUE.maxReceiveCount,
    });
    expect(Number(attrs.VisibilityTimeout)).toBe(WEBHOOK_QUEUE.visibilityTimeoutSeconds);
    expect(Number(attrs.ReceiveMessageWaitTimeSeconds)).toBe(WEBHOOK_QUEUE.receiveWaitSeconds);
  });
});
