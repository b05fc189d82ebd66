import { Clock } from '../../lib/lookup/clock';

/**
 * Simulated time for pacing, backoff and deadlines: `sleep` moves the clock on at once, so a throttled
 * lookup runs in milliseconds and tests assert on the time it would have taken. Pass the same clock to the
 * local endpoint's `clock`, so its rate throttle counts the same time.
 */
export class ManualClock implements Clock {
  private time: number;

  constructor(start = Date.UTC(2030, 0, 1)) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  async sleep(ms: number): Promise<void> {
    this.time += Math.max(0, ms);
    // Let other work (the endpoint, the client's sockets) run, as a real timer would.
    await new Promise((resolve) => setImmediate(resolve));
  }
}
