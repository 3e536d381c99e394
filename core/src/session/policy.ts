/**
 * The keep-alive policy (SPEC §3): a session is reaped when idle for longer than `idleMs` or
 * older than `maxAgeMs` (counted from its last resume, if it was parked). A parked session uses
 * no compute: the sweep leaves it to the park's own limit. Pure, so it is tested with plain numbers.
 */
export interface KeepAlive {
  idleMs: number;
  maxAgeMs: number;
}

type Timed = { createdAt: string; lastActivityAt: string; resumedAt?: string | undefined };

export type Verdict = { terminate: false; reapAt: number } | { terminate: true; reason: string };

/** Minutes as people read them; seconds below a minute (short limits in tests and demos). */
const minutes = (ms: number) =>
  ms < 60_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`;

export const judge = (session: Timed, now: number, policy: KeepAlive): Verdict => {
  const idle = now - Date.parse(session.lastActivityAt);
  const age = now - Date.parse(session.resumedAt ?? session.createdAt);
  if (idle > policy.idleMs)
    return { terminate: true, reason: `Idle for ${minutes(idle)} (limit ${minutes(policy.idleMs)})` };
  if (age > policy.maxAgeMs)
    return { terminate: true, reason: `Older than ${minutes(policy.maxAgeMs)} (age ${minutes(age)})` };
  return { terminate: false, reapAt: reapAt(session, policy) };
};

/** When the policy will reap the session if nothing happens: the dashboard's countdown. */
export const reapAt = (session: Timed, policy: KeepAlive) =>
  Math.min(
    Date.parse(session.lastActivityAt) + policy.idleMs,
    Date.parse(session.resumedAt ?? session.createdAt) + policy.maxAgeMs,
  );
