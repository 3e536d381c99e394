/**
 * Runs one job at a time per key (a mirror's folder): fetch, `worktree add` and push on one
 * mirror would otherwise race for its ref and worktree locks. Within one process only; workers
 * that share a cache folder would need a lock on disk.
 */
export const createSerial = () => {
  const tails = new Map<string, Promise<unknown>>();
  return <T>(key: string, job: () => Promise<T>): Promise<T> => {
    const previous = tails.get(key) ?? Promise.resolve();
    const run = previous.then(job, job);
    const tail = run.catch(() => {});
    tails.set(key, tail);
    // Forget a key once its queue drains, so the map does not grow with every repository seen.
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return run;
  };
};
export type Serial = ReturnType<typeof createSerial>;
