import { Clock } from './clock';

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
    private readonly clock: Clock,
  ) {
    this.tokens = burst;
    this.last = clock.now();
  }

  /** How long to wait before a request may be sent, in milliseconds; 0 when one may go now. */
  waitMs(): number {
    this.refill();
    // Rounded up, plus a millisecond: timers may fire slightly early.
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) / this.requestsPerSecond) * 1000) + 1;
  }

  /** Resolves when a request may be sent. */
  async ready(): Promise<void> {
    const wait = this.waitMs();
    if (wait > 0) {
      await this.clock.sleep(wait);
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
    this.last = this.clock.now();
  }

  private refill(): void {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + (Math.max(0, now - this.last) / 1000) * this.requestsPerSecond);
    this.last = now;
  }
}
