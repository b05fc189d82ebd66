/** Why a lookup failed; stable, for callers that react differently (exit codes, retries). */
export type LookupFailureReason = 'access-denied' | 'not-found' | 'throttled' | 'invalid-target' | 'failed';

/** A lookup of a target's claimed numbers that could not complete. The message says why and what to do. */
export class LookupError extends Error {
  constructor(
    readonly reason: LookupFailureReason,
    readonly targetArn: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'LookupError';
  }
}
