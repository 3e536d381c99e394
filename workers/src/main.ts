import { hostname } from "node:os";
import { join } from "node:path";
import { blobFromEnv } from "@agentvine/core/adapters/blob-from-env";
import { sqsClient, sqsQueue } from "@agentvine/core/adapters/sqs-queue";
import { ConfigError } from "@agentvine/core/config-error";
import { configureLog, log as rootLog } from "@agentvine/core/log";
import { createAgents } from "./agents.ts";
import { ApiClient } from "./api-client.ts";
import { createBackoff } from "./backoff.ts";
import { workerConfig } from "./config.ts";
import { FatalError } from "./failure.ts";
import { createPoller } from "./poller.ts";
import { ecsTaskProtection, noTaskProtection } from "./protection.ts";
import { RealtimeClient } from "./realtime-client.ts";
import { AgentWorker } from "./worker.ts";
import { Workspaces } from "./workspace/index.ts";

const HELP = `AgentVine worker: claims tasks from the queues and runs them with the agent executor.
Environment: AGENTVINE_API_URL, AGENTVINE_WORKER_ENROLMENT_TOKEN, AGENTVINE_QUEUE_URLS (JSON), and
optionally AGENTVINE_WORKER_NAME, AGENTVINE_HEARTBEAT_INTERVAL_MS, AGENTVINE_POLL_WAIT_SECONDS,
AGENTVINE_LEASE_MS, AGENTVINE_STOP_GRACE_MS, and AGENTVINE_RETRY_BASE_MS / AGENTVINE_RETRY_CAP_MS
(the backoff through an API or SQS outage, which the worker rides out). SQS is reached with the usual AWS credentials and
AWS_ENDPOINT_URL_SQS / AWS_ENDPOINT_URL when set.
Agents: the stub needs nothing; Claude Code uses ANTHROPIC_API_KEY (and ANTHROPIC_BASE_URL if set),
AGENTVINE_CLAUDE_MODEL (the model for tasks that name none), and git with the credentials of its
environment (GIT_ASKPASS, a credential helper) to fetch and push the tasks' repositories. Its
mirrors, checkouts and agent homes live under AGENTVINE_WORKER_DATA_DIR.`;

if (process.argv.includes("--help")) {
  console.log(HELP);
  process.exit(0);
}

const config = (() => {
  try {
    return workerConfig(process.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    // One line an operator reads in the task's log, naming each variable to fix; exit code 2,
    // as for any command started wrongly (the local supervisor then starts no replacement).
    rootLog.fatal({ problems: err.problems }, `worker configuration: ${err.problems.join("; ")}`);
    process.exit(2);
  }
})();
configureLog({ service: "worker", level: config.logLevel });
const logger = rootLog.child({ worker: config.name });
const log = (msg: string) => logger.info(msg);

/** On Fargate, the task's ARN tells an operator which ECS task this worker is. */
const ecsTaskArn = async () => {
  if (!config.ecsMetadataUri) return undefined;
  const res = await fetch(`${config.ecsMetadataUri}/task`).catch(() => null);
  return res?.ok ? ((await res.json()) as { TaskARN?: string }).TaskARN : undefined;
};

const api = new ApiClient(config.apiUrl, config.enrolmentToken);
const runtimeId = (await ecsTaskArn()) ?? config.runtimeId;
const worker = new AgentWorker({
  api,
  realtime: new RealtimeClient(api, log),
  poller: createPoller(sqsQueue(sqsClient(), config.queueUrls), {
    waitSeconds: config.pollWaitSeconds,
    visibilitySeconds: config.visibilitySeconds,
  }),
  agents: createAgents({ dataDir: config.dataDir, claudeModel: config.claudeModel, env: process.env }),
  workspaces: new Workspaces({ cacheDir: join(config.dataDir, "git"), env: process.env }),
  protection: config.ecsAgentUri ? ecsTaskProtection(config.ecsAgentUri, log) : noTaskProtection,
  identity: { name: config.name, host: hostname(), pid: process.pid, ...(runtimeId ? { runtimeId } : {}) },
  heartbeatIntervalMs: config.heartbeatIntervalMs,
  stopGraceMs: config.stopGraceMs,
  parkAfterMs: config.parkAfterMs,
  // Parked runs' snapshots: the bucket on AWS; locally the supervisor passes the runtime's own
  // folder (AGENTVINE_BLOB_DIR), so any worker resumes what another parked.
  blob: blobFromEnv({ AGENTVINE_BLOB_DIR: join(config.dataDir, "blobs"), ...process.env }),
  backoff: createBackoff(config.retry),
  log,
});

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping`);
    void worker.close().then(() => process.exit(0));
  });
}

// Only a fatal error ends the loop on its own (outages are ridden out): say what, clean up, exit.
await worker.run().catch(async (err) => {
  if (err instanceof FatalError) logger.fatal(`fatal: ${err.message}`);
  else logger.fatal({ err }, "fatal: unexpected error");
  await worker.close();
  process.exit(1);
});
