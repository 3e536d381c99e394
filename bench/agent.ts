/**
 * Time to agent: a Claude Code task created -> the agent's first request at the (fake) Messages
 * API, through the whole system (queue, claim, session, checkout from a warm mirror, the SDK's
 * start), beside a bare SDK query() start -> first request in the same run; then, in the same
 * runtime, the resume latency of a parked run (park.ts).
 */
import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApiClient, unwrap } from "@agentvine/client";
import { startRuntime } from "@agentvine/local/runtime";
import { query } from "@anthropic-ai/claude-agent-sdk";
import { say } from "../test/fake-anthropic/script.ts";
import { type FakeAnthropic, startFakeAnthropic } from "../test/fake-anthropic/server.ts";
import { agentEnv } from "../workers/src/claude-code/agent-env.ts";
import { PARK_AFTER_MS, resumeRows } from "./park.ts";
import { latencyRows, type Row } from "./stats.ts";

const RUNS = Number(process.env.BENCH_AGENT_N ?? 10);
const MODEL = "claude-sonnet-4-5";

/** A bare repository with one commit on main, as a task's origin. */
const bareRepository = (root: string) => {
  const origin = join(root, "origin.git");
  const seed = join(root, "seed");
  const git = (cwd: string, ...args: string[]) => execFileSync("git", args, { cwd, stdio: "ignore" });
  git(root, "init", "-q", "--bare", "-b", "main", origin);
  git(root, "init", "-q", "-b", "main", seed);
  git(
    seed,
    "-c",
    "user.name=Bench",
    "-c",
    "user.email=bench@example.com",
    "commit",
    "-q",
    "--allow-empty",
    "-m",
    "First",
  );
  git(seed, "push", "-q", origin, "main");
  return `file://${origin}`;
};

/** query() start -> first request, the SDK alone, as the executor configures it. */
const bareStart = async (fake: FakeAnthropic, root: string, env: NodeJS.ProcessEnv) => {
  const cwd = await mkdtemp(join(root, "bare-"));
  fake.play(say("Done."));
  const first = fake.nextRequest().then((r) => r.at);
  const t0 = Date.now();
  for await (const _ of query({
    prompt: "Say done.",
    options: { cwd, model: MODEL, settingSources: [], env: agentEnv(env, cwd, { bypass: false }) },
  }));
  return (await first) - t0;
};

export const timeToAgentRows = async (): Promise<Row[]> => {
  const root = await mkdtemp(join(tmpdir(), "agentvine-bench-agent-"));
  const fake = await startFakeAnthropic([]);
  const saved = { ...process.env };
  const agentSettings = {
    ANTHROPIC_BASE_URL: fake.url,
    ANTHROPIC_API_KEY: "fake-key",
    CLAUDE_CODE_MAX_RETRIES: "0",
  };
  // npm start hands its environment, ANTHROPIC_* included, to its workers.
  // The resume bench shares this runtime: its workers park a request unanswered for PARK_AFTER_MS.
  Object.assign(process.env, agentSettings, {
    AGENTVINE_CLAUDE_MODEL: MODEL,
    AGENTVINE_PARK_AFTER_MS: String(PARK_AFTER_MS),
  });
  const runtime = await startRuntime(
    {
      port: 0,
      host: "127.0.0.1",
      workers: 1,
      dataDir: join(root, "data"),
      adminToken: "bench-agent-admin-token",
    },
    () => {},
  );
  process.env = saved;
  try {
    const admin = createApiClient({
      baseUrl: runtime.url.replace(/\/$/, ""),
      token: () => runtime.adminToken,
    });
    const repositoryUrl = bareRepository(root);
    const task = async (title: string) => {
      fake.play(say("Done."));
      const first = fake.nextRequest().then((r) => r.at);
      const t0 = Date.now();
      const body = { title, agent: "claude-code" as const, permissionMode: "bypass" as const, repositoryUrl };
      const { id } = await unwrap(admin.POST("/api/v1/tasks", { body }));
      const at = (await first) - t0;
      while (
        (await unwrap(admin.GET("/api/v1/tasks/{id}", { params: { path: { id } } }))).status !== "completed"
      )
        await new Promise((r) => setTimeout(r, 50));
      return at;
    };
    await task("warm the worker's mirror");
    const system: number[] = [];
    const bare: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      system.push(await task(`time to agent ${i}`));
      bare.push(await bareStart(fake, root, { ...process.env, ...agentSettings }));
    }
    const resumed = await resumeRows(admin, runtime.ctx.db, fake, repositoryUrl);
    const sizes = resumed.snapshotBytes.map((b) => `${(b / 1024).toFixed(1)} KB`).join(", ");
    console.log(`snapshot of a parked run (gzip: transcript + git bundle): ${sizes}`);
    return [
      ...latencyRows(
        "time to agent: task created -> first model request (warm mirror)",
        system,
        bare,
        "bare SDK query() start",
      ),
      ...resumed.rows,
    ];
  } finally {
    await runtime.stop();
    await fake.close();
    await rm(root, { recursive: true, force: true });
  }
};
