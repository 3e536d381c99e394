import type { QueuePort, ReceivedMessage } from "@agentvine/core/ports/queue";
import { PRIORITIES } from "@agentvine/core/resources";

/**
 * Receives the next delivery in strict priority order while staying quick when idle:
 * 1. Short polls high, normal, low at once: a waiting high message is always taken first.
 * 2. If all are empty, long-polls the three queues at once and takes the first delivery; if
 *    that is not high, it looks once more at the higher queues. Deliveries the other polls of
 *    the round get later are released (made visible again) and offered to the round waiting
 *    then, so a message never waits for a long poll to time out.
 * A failed receive fails the call (the worker retries it with backoff), never a stray promise.
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

  /**
   * Short polls the queues at once (one SQS round trip, not one per empty queue) and takes the
   * highest delivery; the others are given back. A failed receive fails the scan, after giving
   * back what the others got: taking a lower one could pass over a waiting higher one.
   */
  const scan = async (priorities: readonly (typeof PRIORITIES)[number][]) => {
    const polls = await Promise.allSettled(priorities.map((p) => receive(p, 0)));
    const got = polls.flatMap((r) => (r.status === "fulfilled" && r.value ? [r.value] : []));
    const failed = polls.find((r) => r.status === "rejected");
    const [first, ...rest] = got;
    await Promise.all((failed ? got : rest).map(release));
    if (failed) throw failed.reason;
    return first ?? null;
  };

  /** The idle round waiting now: a delivery a stray poll gives back is offered to it at once. */
  let rescan: (() => void) | null = null;

  const next = async (): Promise<ReceivedMessage | null> => {
    const waiting = await scan(PRIORITIES);
    if (waiting) return waiting;
    const first = await new Promise<ReceivedMessage | null>((resolve, reject) => {
      let taken = false;
      let left = PRIORITIES.length;
      /** A failed long poll; the round fails with it if no other poll of the round got a delivery. */
      let failure: { error: unknown } | null = null;
      const settle = (m: ReceivedMessage | null) => {
        taken = true;
        rescan = null;
        if (!m && failure) reject(failure.error);
        else resolve(m);
      };
      const offer = async (m: ReceivedMessage | null) => {
        if (!m) return;
        if (!taken) return settle(m);
        // Another poll of this round won. Give this one back and let the round waiting now look
        // again: a queue engine need not wake its long polls for a message made visible again.
        await release(m);
        rescan?.();
      };
      // A failed rescan leaves the given-back delivery visible for the next round.
      rescan = () => void scan(PRIORITIES).then(offer, () => {});
      for (const p of PRIORITIES) {
        const tracked = receive(p, options.waitSeconds)
          .then(offer, (error: unknown) => {
            failure ??= { error };
          })
          .finally(() => {
            if (--left === 0 && !taken) settle(null);
          });
        pending.add(tracked);
        void tracked.finally(() => pending.delete(tracked));
      }
    });
    if (!first || first.priority === "high") return first;
    // Cannot look higher now: take what the round got rather than leave it hidden.
    const higher = await scan(higherThan(first)).catch(() => null);
    if (!higher) return first;
    await release(first);
    return higher;
  };

  return { next, release, drain: () => Promise.all(pending) };
};
export type Poller = ReturnType<typeof createPoller>;
