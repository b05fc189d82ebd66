import { ConnectClient, ListPhoneNumbersSummary, ListPhoneNumbersV2Command, ListPhoneNumbersV2CommandOutput } from '@aws-sdk/client-connect';
import { performance } from 'perf_hooks';
import { setTimeout as sleep } from 'timers/promises';
import { CallerIdInputError } from '../core/errors';
import { ClaimedNumber, InventoryDocument, PhoneNumberType, isPhoneNumberArn, toPhoneNumberArn } from '../core/inventory';
import { LookupError } from './lookup-error';
import { LookupTarget, describeInvalidTarget, parseLookupTarget } from './target';
import { TokenBucket } from './token-bucket';

export interface ListClaimedNumbersOptions {
  /** The instance or traffic distribution group whose numbers to list. */
  readonly targetArn: string;
  /**
   * The client to call Connect with. Create it with `createConnectClient`, or with `maxAttempts: 1`: this
   * function paces and retries on its own, and SDK retries underneath would multiply its calls.
   */
  readonly client: ConnectClient;
  /** `MaxResults` of each call, 1-1000. @default 1000 */
  readonly pageSize?: number;
  /** The pace calls are sent at. @default 2, Connect's default API quota */
  readonly requestsPerSecond?: number;
  /** Calls sent at once before pacing starts. @default 5, Connect's default API burst */
  readonly burst?: number;
  /**
   * The most time spent waiting on throttling, in total, before giving up.
   * @default 60000
   */
  readonly maxThrottleWaitMs?: number;
  /** Called after each page with the numbers listed so far and the calls made. */
  readonly onProgress?: (numbersSoFar: number, calls: number) => void;
}

export interface ListClaimedNumbersResult {
  /** The target's numbers, sorted by number. */
  readonly numbers: ClaimedNumber[];
  /** ListPhoneNumbersV2 requests sent, retries included. */
  readonly calls: number;
  /** Of those, how many were throttled. */
  readonly throttled: number;
}

const MAX_PAGE_SIZE = 1000;
const BACKOFF_BASE_MS = 500;
const BACKOFF_CAP_MS = 10_000;
const MAX_SERVER_ERRORS = 3;
const THROTTLING_ERRORS = new Set(['TooManyRequestsException', 'ThrottlingException', 'Throttling', 'ThrottledException', 'RequestLimitExceeded']);

/**
 * Lists every number claimed by a Connect instance or traffic distribution group with ListPhoneNumbersV2
 * (the v1 API mislabels number types and returns ARNs queues reject). Pages with `NextToken`, paces itself
 * under Connect's quota, and retries throttled calls with exponential backoff and jitter within
 * `maxThrottleWaitMs`.
 *
 * @throws LookupError, with `reason` saying why
 */
export async function listClaimedNumbers(options: ListClaimedNumbersOptions): Promise<ListClaimedNumbersResult> {
  const target = parseLookupTarget(options.targetArn);
  if (!target) {
    throw new LookupError('invalid-target', String(options.targetArn), `Cannot list claimed numbers: ${describeInvalidTarget(options.targetArn)}.`);
  }
  const pageSize = options.pageSize ?? MAX_PAGE_SIZE;
  const requestsPerSecond = options.requestsPerSecond ?? 2;
  const burst = options.burst ?? 5;
  const maxThrottleWaitMs = options.maxThrottleWaitMs ?? 60_000;
  checkArgument('pageSize', pageSize, Number.isInteger(pageSize) && pageSize >= 1 && pageSize <= MAX_PAGE_SIZE, `an integer from 1 to ${MAX_PAGE_SIZE}`);
  checkArgument('requestsPerSecond', requestsPerSecond, requestsPerSecond > 0 && requestsPerSecond < Infinity, 'a number above 0');
  checkArgument('burst', burst, Number.isInteger(burst) && burst >= 1, 'an integer of at least 1');
  checkArgument('maxThrottleWaitMs', maxThrottleWaitMs, maxThrottleWaitMs >= 0, 'a number of milliseconds, 0 or more');

  const client = options.client;
  await checkRegion(client, target);

  const state: CallState = {
    target,
    client,
    bucket: new TokenBucket(requestsPerSecond, burst),
    maxThrottleWaitMs,
    calls: 0,
    throttled: 0,
    throttleWaitMs: 0,
  };
  const byNumber = new Map<string, ClaimedNumber>();
  let nextToken: string | undefined;
  do {
    const page = await callWithRetries(state, { TargetArn: target.arn, MaxResults: pageSize, NextToken: nextToken });
    for (const summary of page.ListPhoneNumbersSummaryList ?? []) {
      const claimed = toClaimedNumber(summary);
      if (claimed && !byNumber.has(claimed.number)) byNumber.set(claimed.number, claimed);
    }
    options.onProgress?.(byNumber.size, state.calls);
    if (page.NextToken !== undefined && page.NextToken === nextToken) {
      throw new LookupError('failed', target.arn, `ListPhoneNumbersV2 on ${target.arn} returned the same NextToken twice; stopping instead of paging forever.`);
    }
    nextToken = page.NextToken || undefined;
  } while (nextToken !== undefined);

  const numbers = [...byNumber.values()].sort((a, b) => (a.number < b.number ? -1 : a.number > b.number ? 1 : 0));
  return { numbers, calls: state.calls, throttled: state.throttled };
}

/** The inventory document `connect-caller-id lookup` writes for a target. */
export function listedNumbersToInventory(targetArn: string, numbers: readonly ClaimedNumber[]): InventoryDocument {
  return { instanceArn: targetArn, numbers: [...numbers] };
}

/**
 * One summary as a claimed number; undefined for an entry without a number or type (every field is optional
 * in the model, and such an entry can be neither a caller ID nor an inventory entry).
 */
export function toClaimedNumber(summary: ListPhoneNumbersSummary): ClaimedNumber | undefined {
  if (!summary.PhoneNumber || !summary.PhoneNumberType) return undefined;
  // A type this library does not know yet is kept as the service spells it: dropping the number would make
  // the deploy-time check call a claimed number unclaimed.
  const type = summary.PhoneNumberType as string as PhoneNumberType;
  const countryCode = summary.PhoneNumberCountryCode && /^[A-Z]{2}$/.test(summary.PhoneNumberCountryCode) ? summary.PhoneNumberCountryCode : undefined;
  const arn = phoneNumberArn(summary.PhoneNumberArn);
  return {
    number: summary.PhoneNumber,
    type,
    ...(countryCode ? { countryCode } : {}),
    ...(arn ? { arn } : {}),
    // What claimNumber recognises its own claims by, to warn before a change replaces one.
    ...(summary.PhoneNumberDescription ? { description: summary.PhoneNumberDescription } : {}),
  };
}

function phoneNumberArn(arn: string | undefined): string | undefined {
  if (!arn) return undefined;
  if (isPhoneNumberArn(arn)) return arn;
  return toPhoneNumberArn(arn);
}

interface CallState {
  readonly target: LookupTarget;
  readonly client: ConnectClient;
  readonly bucket: TokenBucket;
  readonly maxThrottleWaitMs: number;
  calls: number;
  throttled: number;
  throttleWaitMs: number;
}

interface PageRequest {
  readonly TargetArn: string;
  readonly MaxResults: number;
  readonly NextToken?: string;
}

async function callWithRetries(state: CallState, request: PageRequest): Promise<ListPhoneNumbersV2CommandOutput> {
  let consecutiveThrottles = 0;
  let serverErrors = 0;
  for (;;) {
    await state.bucket.ready();
    try {
      const output = await state.client.send(new ListPhoneNumbersV2Command(request));
      state.bucket.spend();
      state.calls += output.$metadata?.attempts ?? 1;
      return output;
    } catch (e) {
      state.bucket.spend();
      const attempts = attemptsOf(e);
      state.calls += attempts;
      if (isThrottling(e)) {
        state.throttled += attempts;
        const remaining = state.maxThrottleWaitMs - state.throttleWaitMs;
        if (remaining <= 0) throw throttledError(state, e);
        state.bucket.drain();
        state.throttleWaitMs += await backoff(consecutiveThrottles++, remaining);
        continue;
      }
      if (isServerError(e) && ++serverErrors < MAX_SERVER_ERRORS) {
        await backoff(serverErrors, Infinity);
        continue;
      }
      throw await toLookupError(state, e);
    }
  }
}

/** Sleeps for the `retry`-th backoff (equal jitter, so waits never collapse to nothing), at most `limitMs`. */
async function backoff(retry: number, limitMs: number): Promise<number> {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** retry);
  const delay = Math.min(limitMs, ceiling / 2 + Math.random() * (ceiling / 2));
  const started = performance.now();
  await sleep(delay);
  return performance.now() - started;
}

function throttledError(state: CallState, cause: unknown): LookupError {
  const seconds = (state.throttleWaitMs / 1000).toFixed(1);
  return new LookupError(
    'throttled',
    state.target.arn,
    `ListPhoneNumbersV2 on ${state.target.arn} was throttled for ${seconds} s over ${state.throttled} attempts, and gave up. ` +
      'Connect allows 2 API requests per second with a burst of 5 per account and region by default, shared by every ' +
      'Connect API caller in the account. Retry later, when fewer Connect API calls run in this account and region, ' +
      'or request a higher Amazon Connect API rate quota in Service Quotas.',
    { cause },
  );
}

async function toLookupError(state: CallState, e: unknown): Promise<LookupError> {
  const arn = state.target.arn;
  const name = errorName(e);
  const status = httpStatus(e);
  const said = serviceMessage(e);
  if (name === 'AccessDeniedException' || status === 403) {
    return new LookupError(
      'access-denied',
      arn,
      `Access denied listing the phone numbers of ${arn}: the caller needs the IAM permission connect:ListPhoneNumbersV2 ` +
        `on ${arn}. Connect said: ${said}`,
      { cause: e },
    );
  }
  if (name === 'ResourceNotFoundException' || status === 404) {
    const region = await clientRegion(state.client);
    const elsewhere = region && region !== state.target.region ? ` The client calls region ${region}, but the ARN is in ${state.target.region}.` : '';
    return new LookupError(
      'not-found',
      arn,
      `${arn} was not found.${elsewhere} Check the ARN, that the lookup runs in region ${state.target.region} and with ` +
        `credentials of account ${state.target.account}. Connect said: ${said}`,
      { cause: e },
    );
  }
  if (name === 'CredentialsProviderError') {
    return new LookupError(
      'failed',
      arn,
      `Could not list the phone numbers of ${arn}: no AWS credentials were found (${said}). Set AWS_PROFILE or pass a profile, ` +
        'or provide credentials through the standard environment variables.',
      { cause: e },
    );
  }
  return new LookupError('failed', arn, `ListPhoneNumbersV2 on ${arn} failed: ${name ?? 'error'}${status ? ` (HTTP ${status})` : ''}: ${said}`, {
    cause: e,
  });
}

async function checkRegion(client: ConnectClient, target: LookupTarget): Promise<void> {
  if ((await clientRegion(client)) === undefined) {
    throw new LookupError(
      'failed',
      target.arn,
      `No AWS region is set for the Connect client: pass a region (the target is in ${target.region}) or set AWS_REGION.`,
    );
  }
}

async function clientRegion(client: ConnectClient): Promise<string | undefined> {
  try {
    const region = await client.config.region();
    return region || undefined;
  } catch {
    return undefined;
  }
}

function checkArgument(name: string, value: unknown, valid: boolean, expected: string): void {
  if (typeof value !== 'number' || !valid) {
    throw new CallerIdInputError(`listClaimedNumbers: ${name} must be ${expected}, got ${String(value)}.`);
  }
}

interface SdkErrorLike {
  name?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: number; attempts?: number };
  $retryable?: { throttling?: boolean };
}

function asSdkError(e: unknown): SdkErrorLike {
  return typeof e === 'object' && e !== null ? (e as SdkErrorLike) : {};
}

function errorName(e: unknown): string | undefined {
  const name = asSdkError(e).name;
  return typeof name === 'string' ? name : undefined;
}

function httpStatus(e: unknown): number | undefined {
  return asSdkError(e).$metadata?.httpStatusCode;
}

function attemptsOf(e: unknown): number {
  const attempts = asSdkError(e).$metadata?.attempts;
  return typeof attempts === 'number' && attempts > 0 ? attempts : 1;
}

function serviceMessage(e: unknown): string {
  const message = asSdkError(e).message;
  return typeof message === 'string' && message.length > 0 ? message : String(e);
}

function isThrottling(e: unknown): boolean {
  const err = asSdkError(e);
  return err.$metadata?.httpStatusCode === 429 || THROTTLING_ERRORS.has(errorName(e) ?? '') || err.$retryable?.throttling === true;
}

function isServerError(e: unknown): boolean {
  const status = httpStatus(e);
  return (status !== undefined && status >= 500) || errorName(e) === 'InternalServiceException';
}
