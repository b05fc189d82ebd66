import { performance } from 'perf_hooks';
import { setTimeout as sleep } from 'timers/promises';

/**
 * Paces requests so a lookup stays inside Connect's API quota instead of discovering it through 429s:
 * `burst` requests at once, then `requestsPerSecond`. For one request in flight at a time.
 *
 * The service takes its token when a request arrives, somewhere between our send and the response. Waiting
 * for a token before sending but spending it only when the response is back assumes the latest arrival for
 * each request and the earliest for the next, so the service's bucket is never emptier than ours, however
 * much the time in flight varies.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly requestsPerSecond: number,
    private readonly burst: number,
  ) {
    this.tokens = burst;
    this.last = performance.now();
  }

  /** Resolves when a request may be sent. */
  async ready(): Promise<void> {
    this.refill();
    if (this.tokens < 1) {
      // Rounded up, plus a millisecond: timers may fire slightly early.
      await sleep(Math.ceil(((1 - this.tokens) / this.requestsPerSecond) * 1000) + 1);
      this.refill();
    }
  }

  /** Counts a request whose response has come back. */
  spend(): void {
    this.refill();
    this.tokens = Math.max(0, this.tokens - 1);
  }

  /** After a throttled call the service's bucket is empty; ours must agree or the next calls are throttled too. */
  drain(): void {
    this.tokens = 0;
    this.last = performance.now();
  }

  private refill(): void {
    const now = performance.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.requestsPerSecond);
    this.last = now;
  }
}
