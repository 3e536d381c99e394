/**
 * A batch on a small fleet: 30 tasks of 300 ms of work on 3 workers, from the first POST to
 * the last completion, against the ideal (the work divided over the workers, no orchestration).
 */
import { type ApiClient, unwrap } from "@agentvine/client";
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

export const batchRow = async (runtime: Runtime, api: ApiClient): Promise<Row> => {
  await runtime.ctx.scaler.setDesired(WORKERS);
  while ((await idleWorkers(api)) < WORKERS) await new Promise((r) => setTimeout(r, 100));
  const t0 = performance.now();
  const ids = await Promise.all(
    Array.from({ length: TASKS }, (_, i) =>
      unwrap(api.POST("/api/v1/tasks", { body: { title: `batch ${i}`, description: `work: ${WORK_MS}` } })),
    ),
  ).then((tasks) => new Set(tasks.map((t) => t.id)));
  for (;;) {
    const query = { status: "completed", limit: 100 } as const;
    const { items } = await unwrap(api.GET("/api/v1/tasks", { params: { query } }));
    if (items.filter((t) => ids.has(t.id)).length === TASKS) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const took = (performance.now() - t0) / 1000;
  const ideal = (TASKS * WORK_MS) / WORKERS / 1000;
  await runtime.ctx.scaler.setDesired(0);
  return {
    metric: `${TASKS} x ${WORK_MS} ms tasks on ${WORKERS} workers`,
    value: `${took.toFixed(1)} s`,
    baseline: `${ideal.toFixed(1)} s (ideal: work / workers)`,
    ratio: `${(took / ideal).toFixed(2)}x`,
  };
};
