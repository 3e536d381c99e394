import type { QueuePort, ReceivedMessage } from "@agentvine/core/ports/queue";
import { PRIORITIES, type Priority } from "@agentvine/core/resources";

/**
 * Receives the next delivery in strict priority order while staying quick when idle:
 * 1. Short polls high, normal, low at once: a waiting high message is always taken first.
 * 2. If all are empty, waits on one long poll per queue and takes the first delivery. No second
 *    look at the higher queues: each has its long poll out meanwhile, which takes a message the
 *    moment it is sent, and a message a poll has taken is hidden from any second look anyway.
 * A queue never has more than one long poll of this worker out. A long poll outlives the call that
 * started it and serves the next one, so polls never pile up: piled-up polls are first in the
 * engine's line of waiters, and every message they catch for a call that is over must be given
 * back before the call waiting now can have it. A delivery that comes while no call waits is
 * given back (made visible again) at once, for this worker's next scan or another worker.
 * A failed receive fails the call (the worker retries it with backoff), never a stray promise.
 */
export const createPoller = (
  queue: QueuePort,
  options: { waitSeconds: number; visibilitySeconds: number },
) => {
  const receive = async (priority: Priority, waitSeconds: number) =>
    (await queue.receive(priority, { waitSeconds, visibilitySeconds: options.visibilitySeconds }))[0] ?? null;
  const release = (m: ReceivedMessage) =>
    queue.setVisibility(m.priority, m.receiptHandle, 0).catch(() => false);

  /**
   * Short polls the queues at once (one SQS round trip, not one per empty queue) and takes the
   * highest delivery; the others are given back. A failed receive fails the scan, after giving
   * back what the others got: taking a lower one could pass over a waiting higher one.
   */
  const scan = async () => {
    const polls = await Promise.allSettled(PRIORITIES.map((p) => receive(p, 0)));
    const got = polls.flatMap((r) => (r.status === "fulfilled" && r.value ? [r.value] : []));
    const failed = polls.find((r) => r.status === "rejected");
    const [first, ...rest] = got;
    await Promise.all((failed ? got : rest).map(release));
    if (failed) throw failed.reason;
    return first ?? null;
  };

  /** The call waiting on the long polls now, if any: the first poll to come back settles it. */
  let waiting: { settle: (m: ReceivedMessage | null, error?: unknown) => void } | null = null;
  /** This worker's long poll of each queue still out, with what is done when it comes back. */
  const longPolls = new Map<Priority, Promise<void>>();

  const longPoll = (priority: Priority) => {
    const poll = receive(priority, options.waitSeconds).then(
      async (m) => {
        longPolls.delete(priority);
        // One that came back empty ends the call too (the worker calls again), so a call never
        // outlasts the wait, and closing is never held up by a poll restarted for nobody.
        if (waiting) waiting.settle(m);
        else if (m) await release(m);
      },
      (error: unknown) => {
        longPolls.delete(priority);
        waiting?.settle(null, error);
      },
    );
    longPolls.set(priority, poll);
  };

  const next = async (): Promise<ReceivedMessage | null> => {
    const ready = await scan();
    if (ready) return ready;
    return new Promise<ReceivedMessage | null>((resolve, reject) => {
      waiting = {
        settle: (m, error) => {
          waiting = null;
          if (error) reject(error);
          else resolve(m);
        },
      };
      for (const p of PRIORITIES) if (!longPolls.has(p)) longPoll(p);
    });
  };

  return { next, release, drain: () => Promise.all(longPolls.values()) };
};
export type Poller = ReturnType<typeof createPoller>;
