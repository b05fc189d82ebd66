/**
 * The deploy-time caller ID check: the onEvent handler of a `custom_resources.Provider`.
 *
 * It receives the caller ID numbers a stack uses, as CloudFormation resolved them, lists the numbers the
 * target has claimed, fails the deployment for any that is not claimed, and returns the phone-number ARN of
 * each (`Arn0`, `Arn1`, ... by index) for the queues that need them.
 *
 * Bundled on its own into the Lambda function: it must not import aws-cdk-lib or constructs.
 */
import type { ConnectClient } from '@aws-sdk/client-connect';
import { performance } from 'perf_hooks';
import { setTimeout as sleep } from 'timers/promises';
import { MAX_NUMBERS_PER_RESOURCE, RESPONSE_LIMIT_BYTES } from '../core/deploy-time-check';
import { parseE164 } from '../core/e164';
import { ClaimedNumber } from '../core/inventory';
import { CallerIdRules } from '../core/rules';
import { createConnectClient } from '../lookup/connect-client';
import { listClaimedNumbers } from '../lookup/list-claimed-numbers';
import { LookupError } from '../lookup/lookup-error';
import { describeInvalidTarget, parseLookupTarget } from '../lookup/target';

/** The event CloudFormation sends through the provider framework (the fields this handler reads). */
export interface CustomResourceEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete' | string;
  readonly ResourceProperties?: unknown;
  readonly OldResourceProperties?: unknown;
  readonly PhysicalResourceId?: string;
  readonly StackId?: string;
  readonly RequestId?: string;
  readonly LogicalResourceId?: string;
  readonly ResourceType?: string;
}

export interface CustomResourceResult {
  /** Absent only for a Delete that arrived without one, so the framework keeps what it has. */
  readonly PhysicalResourceId?: string;
  /** `Arn<i>`: the phone-number ARN of `Numbers[i]`. */
  readonly Data?: Record<string, string>;
}

/** The part of the Lambda context this handler uses. */
export interface LambdaContextLike {
  getRemainingTimeInMillis?(): number;
}

/** The `ResourceProperties` the construct sends. CloudFormation passes every value as a string. */
export interface CallerIdCheckProperties {
  readonly TargetArn: string;
  /** E.164 caller ID numbers used in the stack. */
  readonly Numbers: string[];
  /** Parallel to `Numbers`: the construct paths using each number, several joined with `, `. */
  readonly UsedBy: string[];
  /** The physical id, chosen by the construct so that it is stable across updates. */
  readonly PhysicalId: string;
  /**
   * Numbers a call-time guard lets through (the claimed numbers a dynamic caller ID may take): verified like
   * `Numbers`, but no ARN is returned for them.
   */
  readonly GuardNumbers?: string[];
  /** The paths of the flows whose guards let `GuardNumbers` through. */
  readonly GuardUsedBy?: string[];
}

export interface CallerIdCheckOptions {
  /**
   * Waits before each new listing while some used numbers are missing: a number claimed moments ago can be
   * absent from ListPhoneNumbersV2 for a short while.
   * @default [3000, 7000, 10000] - three more listings over 20 s
   */
  readonly missingNumberRetryDelaysMs: readonly number[];
  /** @default 60000, and never past the Lambda function's remaining time */
  readonly maxThrottleWaitMs: number;
  /** @default - a client from the environment (`AWS_REGION`, `AWS_ENDPOINT_URL_CONNECT`, the function's role) */
  readonly createClient: () => ConnectClient;
  /** @default console.log */
  readonly log: (message: string) => void;
}

export { MAX_NUMBERS_PER_RESOURCE, RESPONSE_LIMIT_BYTES };

/**
 * Messages stay well below the response limit: the provider framework sends the error (with its stack) as
 * the response's `Reason`, and a response over the limit would replace the message with a generic failure.
 */
const MAX_MESSAGE_BYTES = 3000;

/** Time kept back from the Lambda deadline to report a failure instead of timing out. */
const DEADLINE_MARGIN_MS = 15_000;

export const defaultOptions: CallerIdCheckOptions = {
  missingNumberRetryDelaysMs: [3000, 7000, 10000],
  maxThrottleWaitMs: 60_000,
  createClient: () => createConnectClient(),
  log: (message) => console.log(message),
};

/** A handler with some settings changed (shorter retries in tests). */
export function createHandler(overrides: Partial<CallerIdCheckOptions> = {}) {
  const options: CallerIdCheckOptions = { ...defaultOptions, ...overrides };
  return async (event: CustomResourceEvent, context?: LambdaContextLike): Promise<CustomResourceResult> => {
    try {
      return await onEvent(event, context, options);
    } catch (e) {
      throw toOperatorError(e, options);
    }
  };
}

/** The Lambda entry point. */
export const handler = createHandler();

async function onEvent(event: CustomResourceEvent, context: LambdaContextLike | undefined, options: CallerIdCheckOptions): Promise<CustomResourceResult> {
  if (typeof event !== 'object' || event === null) {
    throw new OperatorError(`The caller ID check received an event that is not an object: ${show(event)}.`);
  }
  switch (event.RequestType) {
    case 'Delete':
      // Nothing was created, so nothing can block a delete or a rollback, whatever the properties say.
      return typeof event.PhysicalResourceId === 'string' ? { PhysicalResourceId: event.PhysicalResourceId } : {};
    case 'Create':
    case 'Update':
      return check(event, readProperties(event.ResourceProperties), context, options);
    default:
      throw new OperatorError(`The caller ID check received an unknown RequestType ${show(event.RequestType)}; expected Create, Update or Delete.`);
  }
}

async function check(
  event: CustomResourceEvent,
  props: CallerIdCheckProperties,
  context: LambdaContextLike | undefined,
  options: CallerIdCheckOptions,
): Promise<CustomResourceResult> {
  const { TargetArn: target, Numbers: numbers, UsedBy: usedBy } = props;
  // Guard numbers are verified with the others; only `Numbers` get an ARN back.
  const verified: CallerIdCheckProperties = {
    ...props,
    Numbers: [...numbers, ...(props.GuardNumbers ?? [])],
    UsedBy: [...usedBy, ...(props.GuardNumbers ?? []).map(() => `the call-time guard of ${(props.GuardUsedBy ?? []).join(', ')}`)],
  };
  const started = performance.now();
  const deadline = started + (context?.getRemainingTimeInMillis?.() ?? Infinity) - DEADLINE_MARGIN_MS;
  if (verified.Numbers.length === 0) return { PhysicalResourceId: props.PhysicalId, Data: {} };

  const client = options.createClient();
  try {
    const list = async () => {
      const maxThrottleWaitMs = Math.max(1000, Math.min(options.maxThrottleWaitMs, deadline - performance.now()));
      const result = await listClaimedNumbers({ targetArn: target, client, maxThrottleWaitMs });
      return { byNumber: new Map(result.numbers.map((n) => [n.number, n])), listed: result.numbers.length, calls: result.calls };
    };
    let listing = await list();
    let listings = 1;
    let missing = missingIndexes(verified.Numbers, listing.byNumber);
    for (const delay of options.missingNumberRetryDelaysMs) {
      if (missing.length === 0 || performance.now() + delay > deadline) break;
      options.log(`${missing.length} used number(s) not listed yet for ${target}; listing again in ${delay} ms: ${missing.map((i) => verified.Numbers[i]).join(', ')}`);
      await sleep(delay);
      listing = await list();
      listings++;
      missing = missingIndexes(verified.Numbers, listing.byNumber);
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    if (missing.length > 0) {
      throw unclaimedError(verified, missing, listing.listed, listings, seconds, options);
    }

    const data: Record<string, string> = {};
    numbers.forEach((n, i) => {
      const arn = listing.byNumber.get(n)!.arn;
      if (!arn) {
        throw new OperatorError(
          `Connect listed ${n} (used by ${usedBy[i]}) as claimed by ${target} but without its phone-number ARN, which queues need. Retry the deployment.`,
        );
      }
      data[`Arn${i}`] = arn;
    });
    const result = { PhysicalResourceId: props.PhysicalId, Data: data };
    checkResponseSize(event, result);
    options.log(`All ${verified.Numbers.length} caller ID number(s) are claimed by ${target} (${listing.listed} listed, ${listings} listing(s), ${seconds} s).`);
    return result;
  } finally {
    client.destroy();
  }
}

function missingIndexes(numbers: readonly string[], byNumber: ReadonlyMap<string, ClaimedNumber>): number[] {
  const missing: number[] = [];
  numbers.forEach((n, i) => {
    if (!byNumber.has(n)) missing.push(i);
  });
  return missing;
}

function unclaimedError(
  props: CallerIdCheckProperties,
  missing: readonly number[],
  listed: number,
  listings: number,
  seconds: string,
  options: CallerIdCheckOptions,
): OperatorError {
  // A number used by several constructs is reported once, with all of them.
  const users = new Map<string, string[]>();
  for (const i of missing) {
    const n = props.Numbers[i];
    const list = users.get(n) ?? [];
    for (const path of props.UsedBy[i].split(', ')) if (path && !list.includes(path)) list.push(path);
    users.set(n, list);
  }
  const lines = [...users].map(([n, paths]) => `  - ${n}, used by ${paths.length > 0 ? paths.join(', ') : 'an unnamed construct'}`);
  const head =
    users.size === 1
      ? `[${CallerIdRules.NOT_CLAIMED.id}] Caller ID ${[...users.keys()][0]} is not claimed by ${props.TargetArn}:`
      : `[${CallerIdRules.NOT_CLAIMED.id}] ${users.size} caller ID numbers used in this stack are not claimed by ${props.TargetArn}:`;
  const tail =
    `Connect listed ${listed} claimed number(s) for the target; it was listed ${listings} time(s) over ${seconds} s, since a number ` +
    'claimed moments ago can take a while to appear. Calls with an unclaimed caller ID are disconnected. Claim each of these ' +
    'numbers for this instance (Amazon Connect console, Channels > Phone numbers), or change the caller ID to a number the ' +
    'instance has claimed. A number a call-time guard lists comes from the inventory in cdk.context.json: refresh it with ' +
    'connect-caller-id lookup.';
  options.log([head, ...lines].join('\n'));
  return new OperatorError(fitLines(head, lines, tail));
}

/**
 * Checks the whole response the provider framework will send, since CloudFormation rejects one over 4096
 * bytes with a message that does not say which resource or why.
 */
function checkResponseSize(event: CustomResourceEvent, result: { PhysicalResourceId: string; Data: Record<string, string> }): void {
  const body = JSON.stringify({
    Status: 'SUCCESS',
    Reason: 'SUCCESS',
    StackId: event.StackId,
    RequestId: event.RequestId,
    PhysicalResourceId: result.PhysicalResourceId,
    LogicalResourceId: event.LogicalResourceId,
    Data: result.Data,
  });
  const bytes = Buffer.byteLength(body, 'utf8');
  if (bytes > RESPONSE_LIMIT_BYTES) {
    throw new OperatorError(
      `The caller ID check's response would be ${bytes} bytes, over CloudFormation's ${RESPONSE_LIMIT_BYTES}-byte limit for a custom ` +
        `resource, with ${Object.keys(result.Data).length} numbers. Spread the numbers over more check resources.`,
    );
  }
}

function readProperties(value: unknown): CallerIdCheckProperties {
  const expected =
    '{ "TargetArn": "<instance or traffic distribution group ARN>", "Numbers": ["+E164", ...], "UsedBy": ["<construct path>", ...], "PhysicalId": "<id>" }';
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new OperatorError(`The caller ID check's ResourceProperties must be an object ${expected}, got ${show(value)}.`);
  }
  const props = value as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof props.TargetArn !== 'string' || !parseLookupTarget(props.TargetArn)) {
    problems.push(`TargetArn: ${describeInvalidTarget(props.TargetArn)}`);
  }
  const numbers = stringList(props.Numbers);
  if (!numbers) problems.push(`Numbers must be a list of E.164 numbers as strings, such as ["+81368001234"], got ${show(props.Numbers)}`);
  const usedBy = stringList(props.UsedBy);
  if (!usedBy) {
    problems.push(`UsedBy must be a list of construct paths as strings, one per number, got ${show(props.UsedBy)}`);
  } else if (numbers && usedBy.length !== numbers.length) {
    problems.push(`UsedBy must have one entry per number: ${numbers.length} number(s) but ${usedBy.length} UsedBy entr${usedBy.length === 1 ? 'y' : 'ies'}`);
  }
  if (props.GuardNumbers !== undefined || props.GuardUsedBy !== undefined) {
    const guard = stringList(props.GuardNumbers);
    const guardUsers = stringList(props.GuardUsedBy);
    if (!guard || !guardUsers) {
      problems.push(`GuardNumbers and GuardUsedBy must be lists of strings (numbers, and the flows whose guards list them), got ${show(props.GuardNumbers)} and ${show(props.GuardUsedBy)}`);
    }
  }
  if (typeof props.PhysicalId !== 'string' || props.PhysicalId.length === 0) {
    problems.push(`PhysicalId must be a non-empty string, got ${show(props.PhysicalId)}`);
  }
  if (numbers && numbers.length > MAX_NUMBERS_PER_RESOURCE) {
    problems.push(
      `Numbers has ${numbers.length} entries, but one check resource takes at most ${MAX_NUMBERS_PER_RESOURCE}, so that their ARNs ` +
        `fit in CloudFormation's ${RESPONSE_LIMIT_BYTES}-byte response; spread them over more check resources`,
    );
  }
  if (problems.length > 0) {
    throw new OperatorError(fitLines("The caller ID check's properties are not valid:", problems.map((p) => `  - ${p}`), `Expected ${expected}.`));
  }

  // The same E.164 rule as synth time, so a value resolved only now is judged exactly as a literal would be.
  const notE164: string[] = [];
  numbers!.forEach((n, i) => {
    const parsed = parseE164(n);
    if (parsed.ok) return;
    const hint = parsed.suggestion ? ` (did you mean ${parsed.suggestion}?)` : '';
    notE164.push(`  - ${JSON.stringify(n)}: ${parsed.reason}${hint}, used by ${usedBy![i] || 'an unnamed construct'}`);
  });
  if (notE164.length > 0) {
    throw new OperatorError(
      fitLines(
        `[${CallerIdRules.NOT_E164.id}] ${notE164.length === 1 ? 'A caller ID is' : `${notE164.length} caller IDs are`} not valid E.164 numbers:`,
        notE164,
        'A caller ID must be + followed by the country code and number, digits only, such as +81368001234. Connect silently ' +
          "replaces a non-E.164 caller ID with the queue's number, or fails the call when the queue has none.",
      ),
    );
  }
  return props as unknown as CallerIdCheckProperties;
}

function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : undefined;
}

/**
 * An error meant for the CloudFormation console. Its stack is the message alone: the provider framework
 * reports the stack as the failure reason, and frames of a bundled handler only crowd out the message.
 */
class OperatorError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(truncateBytes(message, MAX_MESSAGE_BYTES), options);
    this.name = 'Error';
    this.stack = this.message;
  }
}

function toOperatorError(e: unknown, options: CallerIdCheckOptions): OperatorError {
  if (e instanceof OperatorError) return e;
  if (e instanceof LookupError) return new OperatorError(`Caller ID check: ${e.message}`, { cause: e });
  options.log(`Unexpected failure: ${e instanceof Error ? (e.stack ?? e.message) : show(e)}`);
  const what = e instanceof Error ? `${e.name}: ${e.message}` : show(e);
  return new OperatorError(`The caller ID check failed unexpectedly (${what}). The function's log in CloudWatch has the details.`, { cause: e });
}

/** `head`, as many `lines` as fit, and `tail`, within the message limit; the log has the full list. */
function fitLines(head: string, lines: readonly string[], tail: string): string {
  let budget = MAX_MESSAGE_BYTES - Buffer.byteLength(head) - Buffer.byteLength(tail) - 80;
  const kept: string[] = [];
  for (const line of lines) {
    const size = Buffer.byteLength(line) + 1;
    if (size > budget) break;
    kept.push(line);
    budget -= size;
  }
  if (kept.length === 0 && lines.length > 0) kept.push(truncateBytes(lines[0], Math.max(budget, 200)));
  const more = lines.length - kept.length;
  if (more > 0) kept.push(`  - and ${more} more (the function's log in CloudWatch lists them all)`);
  return [head, ...kept, tail].join('\n');
}

function truncateBytes(text: string, max: number): string {
  if (Buffer.byteLength(text) <= max) return text;
  let cut = text.slice(0, max);
  while (Buffer.byteLength(cut) > max - 3) cut = cut.slice(0, -1);
  return `${cut}...`;
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
