import { setTimeout as sleep } from 'timers/promises';

/**
 * The time source of pacing, backoff and deadlines. Injected so tests run throttled lookups in simulated
 * time instead of waiting, and assert on that time instead of the wall clock.
 */
export interface Clock {
  /** Milliseconds since the epoch, the unit of `deadline`. */
  now(): number;
  /** Resolves after `ms` milliseconds of this clock. */
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => sleep(ms),
};
