import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
  waitUntilTableExists,
} from "@aws-sdk/client-dynamodb";
import { afterEach, describe, expect, it } from "vitest";
import { awsClientConfig } from "../aws-local-config.ts";
import { type DynamoEngine, javaAvailable, startDynamo } from "./dynamodb.ts";

const running: DynamoEngine[] = [];
const clients: DynamoDBClient[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await Promise.all(running.splice(0).map((e) => e.stop()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function start(opts: Parameters<typeof startDynamo>[0]) {
  const engine = await startDynamo(opts);
  running.push(engine);
  const client = new DynamoDBClient(awsClientConfig(engine.endpoint));
  clients.push(client);
  return { engine, client };
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "agentvine-dynamo-test-"));
  dirs.push(dir);
  return dir;
}

async function createKvTable(client: DynamoDBClient, name: string) {
  await client.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
    }),
  );
  // dynalite turns a new table ACTIVE a tick later, even with createTableMs 0.
  await waitUntilTableExists({ client, maxWaitTime: 30 }, { TableName: name });
}

async function survivesRestart(engine: "dynamodb-local" | "dynalite") {
  const dataDir = join(tempDir(), "nested", "data"); // created by startDynamo
  const first = await start({ dataDir, engine });
  expect(first.engine.kind).toBe(engine);
  await createKvTable(first.client, "persist");
  await first.client.send(
    new PutItemCommand({ TableName: "persist", Item: { pk: { S: "k1" }, v: { S: "hello" } } }),
  );
  await first.engine.stop();

  const second = await start({ dataDir, engine });
  const { Item } = await second.client.send(
    new GetItemCommand({ TableName: "persist", Key: { pk: { S: "k1" } }, ConsistentRead: true }),
  );
  expect(Item?.v?.S).toBe("hello");
}

describe("startDynamo", () => {
  it.skipIf(!javaAvailable())("DynamoDB Local keeps data across a restart with a dataDir", async () => {
    await survivesRestart("dynamodb-local");
  });

  it.skipIf(!javaAvailable())("DynamoDB Local in memory answers on 127.0.0.1 and stops cleanly", async () => {
    const { engine, client } = await start({ engine: "dynamodb-local" });
    expect(engine.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await expect(client.send(new ListTablesCommand({}))).resolves.toMatchObject({ TableNames: [] });
    await engine.stop();
    await engine.stop(); // idempotent
    await expect(
      client.send(new ListTablesCommand({}), { abortSignal: AbortSignal.timeout(2000) }),
    ).rejects.toThrow();
  });

  it("dynalite fallback starts and answers ListTables", async () => {
    const logs: string[] = [];
    const { engine, client } = await start({ engine: "dynalite", log: (m) => logs.push(m) });
    expect(engine.kind).toBe("dynalite");
    expect(engine.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const out = await client.send(new ListTablesCommand({}));
    expect(out.TableNames).toEqual([]);
  });

  it("dynalite keeps data across a restart with a dataDir", async () => {
    await survivesRestart("dynalite");
  });
});
