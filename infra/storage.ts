import { TABLE } from "@agentvine/core/resources";
import { RemovalPolicy } from "aws-cdk-lib";
import { type StackContext, Table } from "sst/constructs";
import { settings } from "./settings.ts";

/** The one DynamoDB table, shaped by core/src/resources.ts like the local runtime's. */
export function Storage({ stack, app }: StackContext) {
  const { production } = settings(app);
  const keys = [
    TABLE.partitionKey,
    TABLE.sortKey,
    ...TABLE.indexes.flatMap((i) => [i.partitionKey, i.sortKey]),
  ];
  const table = new Table(stack, "Table", {
    fields: Object.fromEntries(keys.map((k) => [k, "string" as const])),
    primaryIndex: { partitionKey: TABLE.partitionKey, sortKey: TABLE.sortKey },
    globalIndexes: Object.fromEntries(
      TABLE.indexes.map((i) => [i.name, { partitionKey: i.partitionKey, sortKey: i.sortKey }]),
    ),
    timeToLiveAttribute: TABLE.ttlAttribute,
    cdk: {
      table: {
        // On-demand billing is SST's default; PITR costs storage, so only production has it.
        pointInTimeRecovery: production,
        deletionProtection: production,
        removalPolicy: production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      },
    },
  });
  return { table };
}
