/**
 * A batch on a small fleet: 30 tasks of 300 ms of work on 3 workers, from the first POST to
 * the last completion, against the ideal (the work divided over the workers, no orchestration).
 */
import { type ApiClient, unwrap } from "@agentvine/client";
import type { openSocket } from "./socket.ts";
import type { Row } from "./stats.ts";

const TASKS = Number(process.env.BENCH_BATCH_TASKS ?? 30);
const WORKERS = 3;
const WORK_MS = 300;

interface Runtime {
  ctx: { scaler: { setDesired(n: number): Promise<void> } };
}
const idleWorkers = async (api: ApiClient) => {
  const { items } = await unwrap(api.GET("/api/v1/workers", { params: { query: { limit: 100 } } }));
  return items.filter((w) => w.status === "idle").length;
};

export const batchRow = async (
  runtime: Runtime,
  api: ApiClient,
  watcher: Awaited<ReturnType<typeof openSocket>>,
): Promise<Row> => {
  await runtime.ctx.scaler.setDesired(WORKERS);
  while ((await idleWorkers(api)) < WORKERS) await new Promise((r) => setTimeout(r, 100));
  // Completions are watched on the socket, as a dashboard would: polling the task list would
  // load the engines the batch is timed on.
  const titles = Array.from({ length: TASKS }, (_, i) => `batch ${i}`);
  const completed = titles.map((title) =>
    watcher.next((e) => e.type === "task.updated" && e.data.title === title && e.data.status === "completed"),
  );
  const t0 = performance.now();
  await Promise.all(
    titles.map((title) =>
      unwrap(api.POST("/api/v1/tasks", { body: { title, description: `work: ${WORK_MS}` } })),
    ),
  );
  await Promise.all(completed);
  const took = (performance.now() - t0) / 1000;
  watcher.ws.close();
  const ideal = (TASKS * WORK_MS) / WORKERS / 1000;
  await runtime.ctx.scaler.setDesired(0);
  return {
    metric: `${TASKS} x ${WORK_MS} ms tasks on ${WORKERS} workers`,
    value: `${took.toFixed(1)} s`,
    baseline: `${ideal.toFixed(1)} s (ideal: work / workers)`,
    ratio: `${(took / ideal).toFixed(2)}x`,
  };
};
