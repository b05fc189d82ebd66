import { ConnectClient, ListPhoneNumbersSummary, ListPhoneNumbersV2Command, ListPhoneNumbersV2CommandOutput } from '@aws-sdk/client-connect';
import { isE164Shaped } from '../core/e164';
import { CallerIdInputError } from '../core/errors';
import { ClaimedNumber, InventoryDocument, PhoneNumberType, isPhoneNumberArn, toPhoneNumberArn } from '../core/inventory';
import { Clock, systemClock } from './clock';
import { DEFAULT_CALL_TIMEOUT_MS } from './connect-client';
import { AssumeRoleError, LookupError } from './lookup-error';
import { LookupTarget, describeInvalidTarget, parseLookupTarget } from './target';
import { TokenBucket } from './token-bucket';

/**
 * The most numbers one instance or traffic distribution group is assumed to hold, which bounds how many
 * pages a listing may take. Connect's quota "Phone numbers per instance" is 5 by default in current accounts
 * (10 in older ones; Amazon Connect Administrator Guide, "Amazon Connect service quotas") and adjustable on
 * request with no published maximum; ClaimPhoneNumber lets an account claim and release up to 200% of it.
 * 100,000 is ten thousand times the default and above the largest instance this library is measured with;
 * an account whose quota is higher passes `maxNumbers`.
 */
export const MAX_NUMBERS_PER_TARGET = 100_000;

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
  /**
   * The time by which the whole listing must have ended, in milliseconds since the epoch (`Date.now()`
   * plus the time allowed; in a Lambda function, `Date.now() + context.getRemainingTimeInMillis()` less a
   * margin to report the failure). Pacing, backoff and each call are cut short to end by then.
   * @default - no deadline; each call is still bounded by `callTimeoutMs` and the pages by `maxNumbers`
   */
  readonly deadline?: number;
  /**
   * The most time one call may take, from sending it to the end of its answer. A call that takes longer is
   * abandoned and tried again, three times in all.
   * @default DEFAULT_CALL_TIMEOUT_MS
   */
  readonly callTimeoutMs?: number;
  /**
   * The most numbers the target can hold; a listing that needs more than `ceil(maxNumbers / pageSize) + 1`
   * pages is stopped, since a service that returns a `NextToken` on every page would otherwise be paged forever.
   * @default MAX_NUMBERS_PER_TARGET
   */
  readonly maxNumbers?: number;
  /** The time source of pacing, backoff and the deadline. @default systemClock */
  readonly clock?: Clock;
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
  /** Entries Connect listed that were left out or changed, one sentence each, values JSON-quoted. */
  readonly warnings: string[];
}

const MAX_PAGE_SIZE = 1000;
const BACKOFF_BASE_MS = 500;
const BACKOFF_CAP_MS = 10_000;
/** Attempts of one page when calls time out, reset, fail on the server or answer unreadably. */
const MAX_ATTEMPTS = 3;
const CONNECTION_LOST = new Set(['ECONNRESET', 'EPIPE', 'ECONNREFUSED', 'ECONNABORTED']);
const THROTTLING_ERRORS = new Set(['TooManyRequestsException', 'ThrottlingException', 'Throttling', 'ThrottledException', 'RequestLimitExceeded']);

/**
 * Lists every number claimed by a Connect instance or traffic distribution group with ListPhoneNumbersV2
 * (the v1 API mislabels number types and returns ARNs queues reject). Pages with `NextToken`, paces itself
 * under Connect's quota, retries throttled calls with exponential backoff and jitter within
 * `maxThrottleWaitMs`, retries calls that time out, reset or answer unreadably, and ends by `deadline`.
 *
 * Entries are normalised where the intent is unambiguous (`+81 50 1000 0000` to `+815010000000`, a type or
 * country in lower case) and skipped with a warning where it is not, so every number returned is one the
 * inventory rules accept.
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
  const callTimeoutMs = options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  const maxNumbers = options.maxNumbers ?? MAX_NUMBERS_PER_TARGET;
  const deadline = options.deadline ?? Infinity;
  checkArgument('pageSize', pageSize, Number.isInteger(pageSize) && pageSize >= 1 && pageSize <= MAX_PAGE_SIZE, `an integer from 1 to ${MAX_PAGE_SIZE}`);
  checkArgument('requestsPerSecond', requestsPerSecond, requestsPerSecond > 0 && requestsPerSecond < Infinity, 'a number above 0');
  checkArgument('burst', burst, Number.isInteger(burst) && burst >= 1, 'an integer of at least 1');
  checkArgument('maxThrottleWaitMs', maxThrottleWaitMs, maxThrottleWaitMs >= 0, 'a number of milliseconds, 0 or more');
  checkArgument('callTimeoutMs', callTimeoutMs, callTimeoutMs > 0 && callTimeoutMs < Infinity, 'a number of milliseconds above 0');
  checkArgument('maxNumbers', maxNumbers, Number.isInteger(maxNumbers) && maxNumbers >= 1, 'an integer of at least 1');
  checkArgument('deadline', deadline, !Number.isNaN(deadline), 'a time in milliseconds since the epoch');

  const client = options.client;
  await checkRegion(client, target);

  const clock = options.clock ?? systemClock;
  const state: CallState = {
    target,
    client,
    clock,
    bucket: new TokenBucket(requestsPerSecond, burst, clock),
    maxThrottleWaitMs,
    callTimeoutMs,
    deadline,
    started: clock.now(),
    calls: 0,
    throttled: 0,
    throttleWaitMs: 0,
    listed: 0,
  };
  const maxPages = Math.ceil(maxNumbers / pageSize) + 1;
  const byNumber = new Map<string, ClaimedNumber>();
  const warnings: string[] = [];
  let nextToken: string | undefined;
  let pages = 0;
  do {
    if (++pages > maxPages) throw tooManyPagesError(state, maxPages, maxNumbers, pageSize);
    const page = await callWithRetries(state, { TargetArn: target.arn, MaxResults: pageSize, NextToken: nextToken });
    for (const summary of page.entries) {
      const read = readSummary(summary);
      if (read.warning) warnings.push(`${target.arn}: ${read.warning}`);
      const claimed = read.claimed;
      if (!claimed) continue;
      const first = byNumber.get(claimed.number);
      if (!first) byNumber.set(claimed.number, claimed);
      else if (JSON.stringify(first) !== JSON.stringify(claimed)) {
        warnings.push(`${target.arn}: ${claimed.number} is listed twice with different details; the first (${JSON.stringify(first)}) is kept.`);
      }
    }
    state.listed = byNumber.size;
    options.onProgress?.(byNumber.size, state.calls);
    if (page.nextToken !== undefined && page.nextToken === nextToken) {
      throw new LookupError('failed', target.arn, `ListPhoneNumbersV2 on ${target.arn} returned the same NextToken twice; stopping instead of paging forever.`);
    }
    nextToken = page.nextToken;
  } while (nextToken !== undefined);

  const numbers = [...byNumber.values()].sort((a, b) => (a.number < b.number ? -1 : a.number > b.number ? 1 : 0));
  return { numbers, calls: state.calls, throttled: state.throttled, warnings };
}

/** What `connect-caller-id lookup` writes under a target's key: the inventory, and when it was listed. */
export interface LookedUpInventory extends InventoryDocument {
  /**
   * When the listing ended, ISO 8601 in UTC. Synth reads only `instanceArn` and `numbers`; this tells whoever
   * reviews `cdk.context.json` how fresh the inventory is.
   */
  readonly lookedUpAt: string;
}

/** The inventory document `connect-caller-id lookup` writes for a target. */
export function listedNumbersToInventory(targetArn: string, numbers: readonly ClaimedNumber[], lookedUpAt: Date): LookedUpInventory {
  return { instanceArn: targetArn, numbers: [...numbers], lookedUpAt: lookedUpAt.toISOString() };
}

interface ReadSummary {
  readonly claimed?: ClaimedNumber;
  readonly warning?: string;
}

/** Characters people write between digits (E.123 spacing, hyphens, dots, brackets), never part of E.164. */
const VISUAL_SEPARATORS = /[\s\-.()\u00a0]/g;
const NUMBER_TYPE = /^[A-Z][A-Z0-9_]*$/;

/**
 * One summary as a claimed number, normalised where that is unambiguous; a warning says what was changed
 * or why the entry was left out.
 */
function readSummary(summary: unknown): ReadSummary {
  if (typeof summary !== 'object' || summary === null || Array.isArray(summary)) {
    return { warning: `an entry that is not an object (${show(summary)}) was skipped.` };
  }
  const s = summary as Record<keyof ListPhoneNumbersSummary, unknown>;
  const which = typeof s.PhoneNumberId === 'string' ? `the entry ${show(s.PhoneNumberId)}` : 'an entry';
  const notes: string[] = [];
  if (typeof s.PhoneNumber !== 'string') return { warning: `${which} without a phone number (${show(s.PhoneNumber)}) was skipped.` };
  let number = s.PhoneNumber;
  if (!isE164Shaped(number)) {
    const compact = number.replace(VISUAL_SEPARATORS, '');
    if (!isE164Shaped(compact)) {
      return { warning: `${which} has the number ${show(s.PhoneNumber)}, which is not E.164 (+ and up to 15 digits); it was skipped.` };
    }
    notes.push(`the number ${show(number)} was written as ${compact}`);
    number = compact;
  }
  if (typeof s.PhoneNumberType !== 'string') {
    return { warning: `${number} has no number type (${show(s.PhoneNumberType)}); it was skipped, since the rules need the type.` };
  }
  // A type this library does not know yet is kept as the service spells it: dropping the number would make
  // the deploy-time check call a claimed number unclaimed.
  const type = s.PhoneNumberType.trim().toUpperCase();
  if (!NUMBER_TYPE.test(type)) {
    return { warning: `${number} has the number type ${show(s.PhoneNumberType)}, which is not a Connect number type; it was skipped.` };
  }
  if (type !== s.PhoneNumberType) notes.push(`its type ${show(s.PhoneNumberType)} was written as ${type}`);
  let countryCode: string | undefined;
  if (s.PhoneNumberCountryCode !== undefined && s.PhoneNumberCountryCode !== null) {
    const code = typeof s.PhoneNumberCountryCode === 'string' ? s.PhoneNumberCountryCode.trim().toUpperCase() : '';
    if (/^[A-Z]{2}$/.test(code)) {
      countryCode = code;
      if (code !== s.PhoneNumberCountryCode) notes.push(`its country ${show(s.PhoneNumberCountryCode)} was written as ${code}`);
    } else {
      notes.push(`its country ${show(s.PhoneNumberCountryCode)} is not an ISO 3166-1 alpha-2 code and was left out (the rules derive it from the number)`);
    }
  }
  let arn: string | undefined;
  if (typeof s.PhoneNumberArn === 'string' && s.PhoneNumberArn.length > 0) {
    arn = isPhoneNumberArn(s.PhoneNumberArn) ? s.PhoneNumberArn : toPhoneNumberArn(s.PhoneNumberArn);
    if (!arn) notes.push(`its ARN ${show(s.PhoneNumberArn)} is not a phone-number ARN and was left out (the deploy-time check resolves it)`);
  }
  const claimed: ClaimedNumber = {
    number,
    type: type as PhoneNumberType,
    ...(countryCode ? { countryCode } : {}),
    ...(arn ? { arn } : {}),
    // What claimNumber recognises its own claims by, to warn before a change replaces one.
    ...(typeof s.PhoneNumberDescription === 'string' && s.PhoneNumberDescription.length > 0 ? { description: s.PhoneNumberDescription } : {}),
  };
  return { claimed, ...(notes.length > 0 ? { warning: `${number}: ${notes.join('; ')}.` } : {}) };
}

/** A value from the service as JSON, which escapes control characters so nothing printed can forge a line. */
function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

interface CallState {
  readonly target: LookupTarget;
  readonly client: ConnectClient;
  readonly clock: Clock;
  readonly bucket: TokenBucket;
  readonly maxThrottleWaitMs: number;
  readonly callTimeoutMs: number;
  readonly deadline: number;
  readonly started: number;
  calls: number;
  throttled: number;
  throttleWaitMs: number;
  listed: number;
}

interface PageRequest {
  readonly TargetArn: string;
  readonly MaxResults: number;
  readonly NextToken?: string;
}

interface Page {
  readonly entries: readonly unknown[];
  readonly nextToken?: string;
}

type Failure = 'timeout' | 'network' | 'server' | 'malformed';

async function callWithRetries(state: CallState, request: PageRequest): Promise<Page> {
  let consecutiveThrottles = 0;
  let failures = 0;
  for (;;) {
    const wait = state.bucket.waitMs();
    if (state.clock.now() + wait >= state.deadline) throw deadlineError(state);
    await state.bucket.ready();
    const budget = Math.min(state.callTimeoutMs, state.deadline - state.clock.now());
    if (budget <= 0) throw deadlineError(state);
    let failure: Failure;
    let error: unknown;
    // The SDK's requestTimeout ends when the answer's headers arrive; the abort also covers a body that
    // trickles in. It runs on the real clock, since it bounds real network time.
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), budget);
    try {
      const output = await state.client.send(new ListPhoneNumbersV2Command(request), { abortSignal: controller.signal });
      state.bucket.spend();
      state.calls += output.$metadata?.attempts ?? 1;
      const page = readPage(output);
      if (page) return page;
      failure = 'malformed';
      error = new Error(`the answer is not a ListPhoneNumbersV2 page (ListPhoneNumbersSummaryList ${show(output.ListPhoneNumbersSummaryList)}, NextToken ${show(output.NextToken)})`);
    } catch (e) {
      state.bucket.spend();
      // Credentials are resolved before the request is sent: nothing reached Connect.
      if (e instanceof AssumeRoleError) throw new LookupError(e.reason, state.target.arn, e.message, { cause: e });
      const attempts = attemptsOf(e);
      state.calls += attempts;
      if (isThrottling(e)) {
        state.throttled += attempts;
        const remaining = Math.min(state.maxThrottleWaitMs - state.throttleWaitMs, state.deadline - state.clock.now());
        if (state.maxThrottleWaitMs - state.throttleWaitMs <= 0) throw throttledError(state, e);
        if (remaining <= 0) throw deadlineError(state);
        state.bucket.drain();
        state.throttleWaitMs += await backoff(state.clock, consecutiveThrottles++, remaining);
        continue;
      }
      const kind = controller.signal.aborted ? 'timeout' : transientFailure(e);
      if (kind === undefined) throw await toLookupError(state, e);
      if (controller.signal.aborted && state.deadline - state.clock.now() <= 0) throw deadlineError(state);
      failure = kind;
      error = e;
    } finally {
      clearTimeout(timer);
    }
    if (++failures >= MAX_ATTEMPTS) throw failedAttemptsError(state, failure, error, budget);
    const remaining = state.deadline - state.clock.now();
    if (remaining <= 0) throw deadlineError(state);
    await backoff(state.clock, failures, remaining);
  }
}

/** The page, or undefined when the answer does not have a page's shape. */
function readPage(output: ListPhoneNumbersV2CommandOutput): Page | undefined {
  const list: unknown = output.ListPhoneNumbersSummaryList;
  const token: unknown = output.NextToken;
  if (list !== undefined && list !== null && !Array.isArray(list)) return undefined;
  if (token !== undefined && token !== null && typeof token !== 'string') return undefined;
  return { entries: (list as unknown[] | null | undefined) ?? [], ...(typeof token === 'string' && token.length > 0 ? { nextToken: token } : {}) };
}

/** Sleeps for the `retry`-th backoff (equal jitter, so waits never collapse to nothing), at most `limitMs`. */
async function backoff(clock: Clock, retry: number, limitMs: number): Promise<number> {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** retry);
  const delay = Math.min(limitMs, ceiling / 2 + Math.random() * (ceiling / 2));
  const started = clock.now();
  await clock.sleep(delay);
  return clock.now() - started;
}

function elapsedSeconds(state: CallState): string {
  return ((state.clock.now() - state.started) / 1000).toFixed(1);
}

function deadlineError(state: CallState): LookupError {
  return new LookupError(
    'deadline',
    state.target.arn,
    `Listing the phone numbers of ${state.target.arn} did not finish in the time allowed (${elapsedSeconds(state)} s; ` +
      `${state.listed} number(s) listed in ${state.calls} call(s), ${state.throttled} of them throttled). ` +
      'Allow more time (connect-caller-id lookup --timeout, or a longer timeout for the deployment\'s check), or retry when ' +
      'fewer Connect API calls run in this account and region.',
  );
}

function tooManyPagesError(state: CallState, maxPages: number, maxNumbers: number, pageSize: number): LookupError {
  return new LookupError(
    'too-many-pages',
    state.target.arn,
    `ListPhoneNumbersV2 on ${state.target.arn} still returned a NextToken after ${maxPages} pages of up to ${pageSize}, more than ` +
      `a target of ${maxNumbers} numbers needs (${state.listed} distinct number(s) listed); stopping instead of paging forever. ` +
      'If the target really holds more numbers (a raised "Phone numbers per instance" quota), pass a higher maxNumbers ' +
      '(connect-caller-id lookup --max-numbers); ' +
      'otherwise the service or a proxy in between is answering wrongly: retry later.',
  );
}

function failedAttemptsError(state: CallState, failure: Failure, error: unknown, budget: number): LookupError {
  const arn = state.target.arn;
  const where = `the Connect endpoint of ${state.target.region} (or the one AWS_ENDPOINT_URL_CONNECT names)`;
  switch (failure) {
    case 'timeout':
      return new LookupError(
        'timeout',
        arn,
        `ListPhoneNumbersV2 on ${arn} got no complete answer within ${Math.round(budget)} ms, ${MAX_ATTEMPTS} times (${describeError(error)}). ` +
          `Check that this machine reaches ${where}: a proxy, firewall or VPC without a route to it makes calls hang. Retry later if it does.`,
        { cause: error },
      );
    case 'malformed':
      return new LookupError(
        'malformed-response',
        arn,
        `ListPhoneNumbersV2 on ${arn} answered ${MAX_ATTEMPTS} times with something that is not a ListPhoneNumbersV2 answer ` +
          `(${describeError(error)}). Check that ${where} is Amazon Connect and not a proxy's error page; nothing was written.`,
        { cause: error },
      );
    case 'network':
    case 'server':
      return new LookupError(
        'failed',
        arn,
        `ListPhoneNumbersV2 on ${arn} failed ${MAX_ATTEMPTS} times: ${describeError(error)}. ` +
          (failure === 'network' ? `The connection to ${where} was lost each time; check the network and retry.` : 'Connect had a server error each time; retry later.'),
        { cause: error },
      );
  }
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
    const profile = clientProfile(state.client);
    const fix = profile
      ? `The profile ${JSON.stringify(profile)} was not found in the shared config and credentials files (AWS_CONFIG_FILE, ` +
        'AWS_SHARED_CREDENTIALS_FILE, by default ~/.aws/config and ~/.aws/credentials), or has no credentials: check its name ' +
        '(aws configure list-profiles) or sign in to it (aws sso login).'
      : 'Pass a profile, or provide credentials through the standard environment variables or an instance or container role.';
    return new LookupError('failed', arn, `Could not list the phone numbers of ${arn}: no AWS credentials were found (${said}). ${fix}`, { cause: e });
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

function clientProfile(client: ConnectClient): string | undefined {
  const profile = (client.config as { profile?: unknown }).profile;
  return typeof profile === 'string' && profile.length > 0 ? profile : undefined;
}

function checkArgument(name: string, value: unknown, valid: boolean, expected: string): void {
  if (typeof value !== 'number' || !valid) {
    throw new CallerIdInputError(`listClaimedNumbers: ${name} must be ${expected}, got ${String(value)}.`);
  }
}

interface SdkErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  $metadata?: { httpStatusCode?: number; attempts?: number };
  $retryable?: { throttling?: boolean };
  $fault?: unknown;
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

/** The error's name and first line, for messages that go on to say what to do. */
function describeError(e: unknown): string {
  const name = errorName(e);
  const first = serviceMessage(e).split('\n')[0];
  return name && name !== 'Error' && !first.startsWith(name) ? `${name}: ${first}` : first;
}

function isThrottling(e: unknown): boolean {
  const err = asSdkError(e);
  return err.$metadata?.httpStatusCode === 429 || THROTTLING_ERRORS.has(errorName(e) ?? '') || err.$retryable?.throttling === true;
}

/** Which passing failure `e` is, worth another attempt; undefined for an answer that will not change. */
function transientFailure(e: unknown): Failure | undefined {
  const name = errorName(e);
  const status = httpStatus(e);
  // The SDK's HTTP handler names a reset connection TimeoutError too (its transient network codes).
  if (name === 'TimeoutError') return CONNECTION_LOST.has(String(asSdkError(e).code)) ? 'network' : 'timeout';
  if ((status !== undefined && status >= 500) || name === 'InternalServiceException') return 'server';
  // The SDK throws the JSON parser's error, with the HTTP status, when a body cannot be read.
  if (name === 'SyntaxError') return 'malformed';
  if (name === 'CredentialsProviderError' || asSdkError(e).$fault !== undefined) return undefined;
  // No HTTP answer at all: the connection was refused, reset or closed.
  if (status === undefined) return 'network';
  return undefined;
}
