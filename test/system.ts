/**
 * The running system for end-to-end tests: `npm start` in-process (API, supervisor, real worker
 * processes) in a data folder of its own, driven over HTTP as the admin.
 */

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startRuntime } from "./runtime.ts";

/** Short enough that a test sees polls, reaps and graceful stops happen; each test adds its own timings. */
const QUICK = {
  AGENTVINE_POLL_WAIT_SECONDS: "1",
  AGENTVINE_REAPER_INTERVAL_MS: "300",
  AGENTVINE_STOP_GRACE_MS: "300",
};

export interface TestSystem {
  runtime: Awaited<ReturnType<typeof startRuntime>>;
  dataDir: string;
  /** One request to /api/v1 as the admin; an answer that is not 2xx throws with its body. */
  call<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  /** Stops the runtime and its workers, removes the data folder and restores the environment. */
  stop(): Promise<void>;
}

/**
 * Starts the system with `workers` worker processes. `env` holds what an operator would set
 * (timings, model, keys): it goes into process.env, on top of QUICK, for the system's life,
 * because the runtime reads its configuration there and hands it to the workers it spawns.
 */
export const startSystem = async (
  name: string,
  options: { workers: number; env: Record<string, string> },
): Promise<TestSystem> => {
  const saved = { ...process.env };
  Object.assign(process.env, QUICK, options.env);
  const dataDir = await mkdtemp(join(tmpdir(), `agentvine-${name}-`));
  const cleanUp = async () => {
    await rm(dataDir, { recursive: true, force: true });
    process.env = saved;
  };
  let runtime: TestSystem["runtime"];
  try {
    runtime = await startRuntime(
      { port: 0, host: "127.0.0.1", workers: options.workers, dataDir, adminToken: `${name}-admin-token` },
      () => {},
    );
  } catch (err) {
    await cleanUp();
    throw err;
  }

  const call = adminCaller(runtime);

  return {
    runtime,
    dataDir,
    call,
    stop: async () => {
      await runtime.stop();
      await cleanUp();
    },
  };
};

/** The REST API of a runtime as its admin: JSON in and out; an answer other than 2xx is thrown with its body. */
export const adminCaller =
  (runtime: { url: string; adminToken: string }): TestSystem["call"] =>
  async <T>(method: string, path: string, body?: unknown) => {
    const res = await fetch(new URL(`/api/v1${path}`, runtime.url), {
      method,
      headers: { authorization: `Bearer ${runtime.adminToken}`, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = await res.json();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json as T;
  };
