import type { QueuePort, ReceivedMessage } from "@agentvine/core/ports/queue";
import { PRIORITIES } from "@agentvine/core/resources";

/**
 * Receives the next delivery in strict priority order while staying quick when idle:
 * 1. Short polls high, normal, low: a waiting high message is always taken first.
 * 2. If all are empty, long-polls the three queues at once and takes the first delivery; if
 *    that is not high, it looks once more at the higher queues. Deliveries from the other
 *    polls are released (made visible again) for the next round or another worker.
 */
export const createPoller = (
  queue: QueuePort,
  options: { waitSeconds: number; visibilitySeconds: number },
) => {
  const receive = async (priority: (typeof PRIORITIES)[number], waitSeconds: number) =>
    (await queue.receive(priority, { waitSeconds, visibilitySeconds: options.visibilitySeconds }))[0] ?? null;
  const release = (m: ReceivedMessage) =>
    queue.setVisibility(m.priority, m.receiptHandle, 0).catch(() => false);
  const higherThan = (m: ReceivedMessage) => PRIORITIES.slice(0, PRIORITIES.indexOf(m.priority));
  /** Stray long polls still out; closing waits for them so no delivery is left hidden. */
  const pending = new Set<Promise<unknown>>();

  const scan = async (priorities: readonly (typeof PRIORITIES)[number][]) => {
    for (const p of priorities) {
      const m = await receive(p, 0);
      if (m) return m;
    }
    return null;
  };

  const next = async (): Promise<ReceivedMessage | null> => {
    const waiting = await scan(PRIORITIES);
    if (waiting) return waiting;
    let taken = false;
    const polls = PRIORITIES.map((p) =>
      receive(p, options.waitSeconds).then(async (m) => {
        if (m && taken) await release(m);
        return m;
      }),
    );
    const first = await new Promise<ReceivedMessage | null>((resolve) => {
      let left = polls.length;
      for (const poll of polls) {
        const tracked = poll.then((m) => {
          if (m && !taken) {
            taken = true;
            resolve(m);
          } else if (--left === 0) resolve(null);
        });
        pending.add(tracked);
        void tracked.finally(() => pending.delete(tracked));
      }
    });
    if (!first || first.priority === "high") return first;
    const higher = await scan(higherThan(first));
    if (!higher) return first;
    await release(first);
    return higher;
  };

  return { next, release, drain: () => Promise.all(pending) };
};
export type Poller = ReturnType<typeof createPoller>;
