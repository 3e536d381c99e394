/** Time as a port, so time-dependent rules (the keep-alive policy, leases) are tested with a controlled clock. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that moves only when told: for tests and for the local runtime's time travel. */
export class ManualClock implements Clock {
  constructor(private ms: number = Date.UTC(2026, 0, 1)) {}
  now() {
    return this.ms;
  }
  advance(ms: number) {
    this.ms += ms;
  }
  set(ms: number) {
    this.ms = ms;
  }
}

export const iso = (ms: number) => new Date(ms).toISOString();
export const epochSeconds = (ms: number) => Math.floor(ms / 1000);
