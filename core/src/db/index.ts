import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { type EntityItem, Service } from "electrodb";
import { activityEntity } from "./activity.entity.ts";
import { apiTokenEntity } from "./api-token.entity.ts";
import { auditEntity } from "./audit.entity.ts";
import { chatMessageEntity } from "./chat-message.entity.ts";
import { connectionEntity } from "./connection.entity.ts";
import { executionEntity } from "./execution.entity.ts";
import { policyEntity } from "./policy.entity.ts";
import { questionEntity } from "./question.entity.ts";
import { sessionEntity } from "./session.entity.ts";
import { taskEntity } from "./task.entity.ts";
import { webhookEntity } from "./webhook.entity.ts";
import { webhookDeliveryEntity } from "./webhook-delivery.entity.ts";
import { workOrderEntity } from "./work-order.entity.ts";
import { workerEntity } from "./worker.entity.ts";
import { wsTicketEntity } from "./ws-ticket.entity.ts";

/** The store port: every entity of the one table, bound to a client and a table name. */
export const createDb = (dynamo: DynamoDBClient, table: string) => {
  const client = DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } });
  const config = { client, table };
  return new Service(
    {
      task: taskEntity(config),
      workOrder: workOrderEntity(config),
      worker: workerEntity(config),
      session: sessionEntity(config),
      chatMessage: chatMessageEntity(config),
      question: questionEntity(config),
      execution: executionEntity(config),
      connection: connectionEntity(config),
      apiToken: apiTokenEntity(config),
      wsTicket: wsTicketEntity(config),
      activity: activityEntity(config),
      webhook: webhookEntity(config),
      webhookDelivery: webhookDeliveryEntity(config),
      policy: policyEntity(config),
      audit: auditEntity(config),
    },
    config,
  ).entities;
};

export type Db = ReturnType<typeof createDb>;
export type TaskItem = EntityItem<Db["task"]>;
export type WorkOrderItem = EntityItem<Db["workOrder"]>;
export type WorkerItem = EntityItem<Db["worker"]>;
export type SessionItem = EntityItem<Db["session"]>;
export type ChatMessageItem = EntityItem<Db["chatMessage"]>;
export type QuestionItem = EntityItem<Db["question"]>;
export type ExecutionItem = EntityItem<Db["execution"]>;
export type ConnectionItem = EntityItem<Db["connection"]>;
export type ApiTokenItem = EntityItem<Db["apiToken"]>;
export type ActivityItem = EntityItem<Db["activity"]>;
export type WebhookItem = EntityItem<Db["webhook"]>;
export type WebhookDeliveryItem = EntityItem<Db["webhookDelivery"]>;
export type PolicyItem = EntityItem<Db["policy"]>;
export type AuditItem = EntityItem<Db["audit"]>;

/** ElectroDB wraps DynamoDB's conditional failure; at the data layer's edge it is a result, not an error. */
export const isConditionalFailure = (err: unknown): boolean => {
  const cause = (err as { cause?: { name?: string } })?.cause;
  return (
    (err as { name?: string })?.name === "ConditionalCheckFailedException" ||
    cause?.name === "ConditionalCheckFailedException"
  );
};

/** A conditional write whose condition failing is a result (null), not an error. */
export const orNull = async <T>(write: Promise<T>): Promise<T | null> => {
  try {
    return await write;
  } catch (err) {
    if (isConditionalFailure(err)) return null;
    throw err;
  }
};
