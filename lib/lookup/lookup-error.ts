/**
 * Why a lookup failed; stable, for callers that react differently (exit codes, retries).
 * - `timeout`: Connect did not answer a call in time, every time it was tried.
 * - `deadline`: the lookup did not finish by the `deadline` it was given.
 * - `too-many-pages`: Connect kept returning a `NextToken` beyond what the largest instance needs.
 * - `malformed-response`: Connect's answer could not be read as a ListPhoneNumbersV2 answer.
 */
export type LookupFailureReason =
  | 'access-denied'
  | 'not-found'
  | 'throttled'
  | 'invalid-target'
  | 'timeout'
  | 'deadline'
  | 'too-many-pages'
  | 'malformed-response'
  | 'failed';

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

/**
 * A role that could not be assumed for a lookup (`assumeRoleCredentials`); the message says which, why, and
 * what the caller needs. Thrown while credentials are resolved, before any call reaches Connect.
 */
export class AssumeRoleError extends Error {
  constructor(
    readonly reason: 'access-denied' | 'failed',
    readonly roleArn: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AssumeRoleError';
  }
}
