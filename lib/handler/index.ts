/**
 * The deploy-time caller ID check: the handler of the `Custom::ConnectCallerIdCheck` function, which
 * CloudFormation invokes through aws-cdk-lib's Node.js custom resource entry point (`__entrypoint__.js` beside
 * this bundle): the entry point calls `handler` and answers CloudFormation with its result or its error.
 *
 * It receives every caller ID number one stack uses with one instance, as CloudFormation resolved them, lists
 * each target (the instance and its traffic distribution groups) once, and fails the deployment for a number
 * that is not claimed, whose recorded phone-number ARN is not the one Connect lists, or that breaks a country
 * or number-type rule, judged by the same rules synth applies, with the type and country Connect lists. It
 * returns the phone-number ARNs queues need (see core/deploy-time-check.ts for the contract).
 *
 * Bundled on its own into the Lambda function: it must not import aws-cdk-lib or constructs.
 */
import type { ConnectClient } from '@aws-sdk/client-connect';
import { setTimeout as sleep } from 'timers/promises';
import {
  ARN_PREFIX_ATTRIBUTE, CallerIdCheckProperties, CheckedUse, MAX_RETURNED_ARNS, RESPONSE_LIMIT_BYTES,
} from '../core/deploy-time-check';
import { parseE164 } from '../core/e164';
import { Finding, formatFinding, Severity } from '../core/findings';
import { ClaimedNumber, Inventory } from '../core/inventory';
import { CallerIdRules, judgeStaticCallerId } from '../core/rules';
import { CallerIdContext } from '../core/rule-definition';
import { createConnectClient } from '../lookup/connect-client';
import { listClaimedNumbers } from '../lookup/list-claimed-numbers';
import { LookupError } from '../lookup/lookup-error';
import { EXPECTED_PROPERTIES, readProperties, show } from './properties';
import { fitReason, OperatorError, reasonBudget, ResponseFields, truncateJsonBytes } from './reason';

export { MAX_RETURNED_ARNS, RESPONSE_LIMIT_BYTES };
export type { CallerIdCheckProperties };

/** The event CloudFormation sends (the fields this handler reads). */
export interface CustomResourceEvent extends ResponseFields {
  readonly RequestType: 'Create' | 'Update' | 'Delete' | string;
  readonly ResourceProperties?: unknown;
  readonly OldResourceProperties?: unknown;
  readonly ResourceType?: string;
}

export interface CustomResourceResult {
  /** Absent on Create (the entry point then uses the request id) and on a Delete that arrived without one. */
  readonly PhysicalResourceId?: string;
  /** `ArnPrefix` and, under each number's `ArnAttribute`, the rest of its phone-number ARN. */
  readonly Data?: Record<string, string>;
}

/** The part of the Lambda context this handler uses. */
export interface LambdaContextLike {
  getRemainingTimeInMillis?(): number;
}

export interface CallerIdCheckOptions {
  /**
   * Waits before each new listing while some used numbers are missing: a number claimed moments ago can be
   * absent from ListPhoneNumbersV2 for a short while.
   * @default [3000, 7000, 10000] - three more listings over 20 s
   */
  readonly missingNumberRetryDelaysMs: readonly number[];
  /** @default 60000, and never past the deadline */
  readonly maxThrottleWaitMs: number;
  /** @default - a client from the environment (`AWS_REGION`, `AWS_ENDPOINT_URL_CONNECT`, the function's role) */
  readonly createClient: () => ConnectClient;
  /** @default console.log */
  readonly log: (message: string) => void;
  /** The clock the deadline is kept by, in epoch milliseconds. @default Date.now */
  readonly now: () => number;
  /**
   * Where the log is, for failure reasons: the function's log group and stream.
   * @default - from the environment the Lambda runtime and the construct set
   */
  readonly logLocation: () => LogLocation;
}

export interface LogLocation {
  readonly logGroup?: string;
  readonly logStream?: string;
}

/** Time kept back from the Lambda function's own timeout, to report a failure instead of timing out. */
const DEADLINE_MARGIN_MS = 15_000;
/** Entries per log line of a full list, so no line passes CloudWatch Logs' event size. */
const LOG_LINES_PER_EVENT = 200;
/** Users named per item of a failure reason; the log names them all. */
const USERS_SHOWN = 2;
const MAX_PATH_SHOWN = 120;

export const defaultOptions: CallerIdCheckOptions = {
  missingNumberRetryDelaysMs: [3000, 7000, 10000],
  maxThrottleWaitMs: 60_000,
  createClient: () => createConnectClient(),
  log: (message) => console.log(message),
  now: () => Date.now(),
  logLocation: () => ({
    logGroup: process.env.CALLER_ID_CHECK_LOG_GROUP || process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStream: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
  }),
};

/** A handler with some settings changed (shorter retries in tests). */
export function createHandler(overrides: Partial<CallerIdCheckOptions> = {}) {
  const options: CallerIdCheckOptions = { ...defaultOptions, ...overrides };
  return async (event: CustomResourceEvent, context?: LambdaContextLike): Promise<CustomResourceResult> => {
    try {
      return await onEvent(event, context, options);
    } catch (e) {
      throw toOperatorError(e, options, typeof event === 'object' && event !== null ? event : {});
    }
  };
}

/** The Lambda entry point. */
export const handler = createHandler();

/** A failure found by the check: a readable reason, and the full list for the log. */
class CheckFailure {
  constructor(readonly head: string, readonly items: readonly Item[], readonly tail: string) {}
}

/** One problem, and the constructs it concerns. */
interface Item {
  readonly text: string;
  readonly users: readonly string[];
}

async function onEvent(event: CustomResourceEvent, context: LambdaContextLike | undefined, options: CallerIdCheckOptions): Promise<CustomResourceResult> {
  if (typeof event !== 'object' || event === null) {
    throw new OperatorError(`The caller ID check received an event that is not an object: ${show(event)}.`);
  }
  switch (event.RequestType) {
    case 'Delete':
      // Nothing was created, so nothing can block a delete or a rollback, whatever the properties say.
      return typeof event.PhysicalResourceId === 'string' ? { PhysicalResourceId: event.PhysicalResourceId } : {};
    case 'Create':
    case 'Update': {
      const { properties, problems } = readProperties(event.ResourceProperties);
      if (!properties) {
        throw new CheckFailure("The caller ID check's properties are not valid:", problems.map((p) => ({ text: p, users: [] })),
          `Expected ${EXPECTED_PROPERTIES}.`);
      }
      const data = await check(properties, context, options);
      const result: CustomResourceResult = {
        ...(event.RequestType === 'Update' && event.PhysicalResourceId ? { PhysicalResourceId: event.PhysicalResourceId } : {}),
        Data: data,
      };
      checkResponseSize(event, result);
      return result;
    }
    default:
      throw new OperatorError(`The caller ID check received an unknown RequestType ${show(event.RequestType)}; expected Create, Update or Delete.`);
  }
}

/** A used number: every use of it, from `Numbers` and from the guards. */
interface UsedNumber {
  readonly number: string;
  readonly uses: CheckedUse[];
  readonly guardContexts: Set<CallerIdContext>;
  arn?: string;
  arnAttributes: string[];
}

async function check(props: CallerIdCheckProperties, context: LambdaContextLike | undefined, options: CallerIdCheckOptions): Promise<Record<string, string>> {
  const used = usedNumbers(props);
  if (used.size === 0) return {};
  // The same E.164 rule as synth time, before any call, so a value resolved only now is judged as a literal is.
  const notE164 = [...used.values()].flatMap((u) => (parseE164(u.number).ok ? [] : findingItems(u, judgeUses(u, undefined))));
  if (notE164.length > 0) {
    throw new CheckFailure(
      `${notE164.length === 1 ? 'A caller ID is' : `${notE164.length} caller IDs are`} not valid E.164 numbers:`, notE164,
      'A caller ID must be + followed by the country code and number, digits only, such as +81368001234. Connect silently ' +
        "replaces a non-E.164 caller ID with the queue's number, or fails the call when the queue has none.",
    );
  }

  const started = options.now();
  const deadline = started + (context?.getRemainingTimeInMillis?.() ?? Infinity) - DEADLINE_MARGIN_MS;
  const client = options.createClient();
  try {
    let listing = await listTargets(props.TargetArns, client, deadline, options);
    let listings = 1;
    let missing = [...used.values()].filter((u) => !listing.byNumber.has(u.number));
    for (const delay of options.missingNumberRetryDelaysMs) {
      if (missing.length === 0 || options.now() + delay > deadline) break;
      options.log(`${missing.length} used number(s) not listed yet for ${props.TargetArns.join(', ')}; listing again in ${delay} ms: ` +
        `${missing.slice(0, 20).map((u) => u.number).join(', ')}${missing.length > 20 ? ', ...' : ''}`);
      await sleep(delay);
      listing = await listTargets(props.TargetArns, client, deadline, options);
      listings++;
      missing = [...used.values()].filter((u) => !listing.byNumber.has(u.number));
    }
    const seconds = ((options.now() - started) / 1000).toFixed(1);
    const where = `${props.TargetArns.join(' and ')} (${listing.byNumber.size} claimed number(s) listed, ${listings} listing(s), ` +
      `${listing.calls} ListPhoneNumbersV2 call(s), ${seconds} s)`;
    if (missing.length > 0) throw unclaimedFailure(props.TargetArns, missing, listing.byNumber.size, listings, seconds);

    const live = new Inventory(props.TargetArns[0], [...listing.byNumber.values()]);
    const problems = [...used.values()].flatMap((u) => [...arnItems(u, live.get(u.number)!), ...findingItems(u, judgeUses(u, live), options)]);
    if (problems.length > 0) {
      throw new CheckFailure(
        `The caller ID check refused ${problems.length} caller ID use(s) in this stack, judged with what Connect lists for ${where}:`, problems,
        'These are the rules synth applies to a literal caller ID, applied here to the number type and country Connect lists. ' +
          'Change the caller ID to a claimed number the rule accepts, or refresh the inventory with connect-caller-id lookup where it says so.',
      );
    }
    options.log(`All ${used.size} caller ID number(s) pass for ${where}.`);
    return arnData(used, live);
  } finally {
    client.destroy();
  }
}

function usedNumbers(props: CallerIdCheckProperties): Map<string, UsedNumber> {
  const used = new Map<string, UsedNumber>();
  const get = (number: string) => {
    let u = used.get(number);
    if (!u) used.set(number, u = { number, uses: [], guardContexts: new Set(), arnAttributes: [] });
    return u;
  };
  for (const entry of props.Numbers) {
    const u = get(entry.Number);
    u.uses.push(...entry.UsedBy);
    if (entry.Arn !== undefined) u.arn = entry.Arn;
    if (entry.ArnAttribute !== undefined) u.arnAttributes.push(entry.ArnAttribute);
  }
  const guardUses = props.GuardUsedBy ?? [];
  for (const number of props.GuardNumbers ?? []) {
    const u = get(number);
    for (const g of guardUses) u.guardContexts.add(g.Context);
  }
  return used;
}

interface Listing {
  readonly byNumber: Map<string, ClaimedNumber>;
  readonly calls: number;
}

/** Lists every target once, within the deadline. */
async function listTargets(targets: readonly string[], client: ConnectClient, deadline: number, options: CallerIdCheckOptions): Promise<Listing> {
  const byNumber = new Map<string, ClaimedNumber>();
  let calls = 0;
  for (const targetArn of targets) {
    const maxThrottleWaitMs = Math.max(0, Math.min(options.maxThrottleWaitMs, deadline - options.now()));
    const result = await beforeDeadline(() => listClaimedNumbers({ targetArn, client, maxThrottleWaitMs }), deadline, options,
      `listing the numbers of ${targetArn}`);
    calls += result.calls;
    for (const n of result.numbers) if (!byNumber.has(n.number)) byNumber.set(n.number, n);
  }
  return { byNumber, calls };
}

/**
 * What `work` gives, or a clear error once the deadline passes (the caller then destroys the client, which
 * ends the call still waiting).
 */
async function beforeDeadline<T>(work: () => Promise<T>, deadline: number, options: CallerIdCheckOptions, what: string): Promise<T> {
  const left = deadline - options.now();
  const timedOut = () => new OperatorError(
    `The caller ID check ran out of time ${what}: it stops ${DEADLINE_MARGIN_MS / 1000} s before the Lambda function's timeout, ` +
      'so that it can say so instead of timing out. Connect answered too slowly or not at all; retry the deployment.',
  );
  if (left <= 0) throw timedOut();
  if (left === Infinity) return work();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(timedOut()), left);
  });
  try {
    return await Promise.race([work(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The findings of the rules on every use of a number: `live` holds what Connect lists, or nothing before the listing. */
function judgeUses(u: UsedNumber, live: Inventory | undefined): Map<string, { finding: Finding; users: string[] }> {
  const byMessage = new Map<string, { finding: Finding; users: string[] }>();
  const add = (findings: Finding[], user: string) => {
    for (const f of findings) {
      const key = formatFinding(f);
      const seen = byMessage.get(key);
      if (seen) seen.users.push(user);
      else byMessage.set(key, { finding: f, users: [user] });
    }
  };
  for (const use of u.uses) {
    add(judgeStaticCallerId({
      number: u.number, context: use.Context, inventory: live, property: 'caller ID', ...(use.Destination !== undefined ? { destination: use.Destination } : {}),
    }), use.Path);
  }
  for (const context of u.guardContexts) {
    add(judgeStaticCallerId({ number: u.number, context, inventory: live, property: 'caller ID' }), `the call-time guards (${context})`);
  }
  return byMessage;
}

/** The errors as items; warnings go to the log only, since no acknowledgement reaches deploy time. */
function findingItems(u: UsedNumber, judged: Map<string, { finding: Finding; users: string[] }>, options?: CallerIdCheckOptions): Item[] {
  const items: Item[] = [];
  for (const [text, { finding, users }] of judged) {
    if (finding.severity === Severity.ERROR) items.push({ text, users });
    else options?.log(`Warning for ${u.number}, used by ${users.join(', ')}: ${text}`);
  }
  return items;
}

/** The problems with the phone-number ARN of a number queues use. */
function arnItems(u: UsedNumber, listed: ClaimedNumber): Item[] {
  const users = u.uses.filter((x) => x.Context === CallerIdContext.QUEUE).map((x) => x.Path);
  if ((u.arn !== undefined || u.arnAttributes.length > 0) && listed.arn === undefined) {
    return [{ text: `Connect listed ${u.number} without its phone-number ARN, which queues need; retry the deployment`, users }];
  }
  if (u.arn !== undefined && u.arn !== listed.arn) {
    return [{
      text: `The inventory records ${u.arn} as the phone-number ARN of ${u.number}, but Connect lists ${listed.arn}: the number ` +
        'was released and claimed again since the inventory was written. Refresh it with connect-caller-id lookup',
      users,
    }];
  }
  return [];
}

function unclaimedFailure(targets: readonly string[], missing: readonly UsedNumber[], listed: number, listings: number, seconds: string): CheckFailure {
  const items = missing.map((u) => ({
    text: u.number,
    users: [...u.uses.map((x) => x.Path), ...[...u.guardContexts].map((c) => `the call-time guards (${c})`)],
  }));
  const target = targets.join(' and ');
  const head = missing.length === 1
    ? `[${CallerIdRules.NOT_CLAIMED.id}] Caller ID ${missing[0].number} is not claimed by ${target}:`
    : `[${CallerIdRules.NOT_CLAIMED.id}] ${missing.length} caller ID numbers used in this stack are not claimed by ${target}:`;
  const tail =
    `Connect listed ${listed} claimed number(s); the target(s) were listed ${listings} time(s) over ${seconds} s, since a number ` +
    'claimed moments ago can take a while to appear. Calls with an unclaimed caller ID are disconnected. Claim each of these ' +
    'numbers for this instance (Amazon Connect console, Channels > Phone numbers), or change the caller ID to a number the ' +
    'instance has claimed. A number a call-time guard lists comes from the inventory in cdk.context.json: refresh it with ' +
    'connect-caller-id lookup.';
  return new CheckFailure(head, items, tail);
}

/** `ArnPrefix` and each returned number's ARN after it: the id alone when, as usual, every ARN shares the prefix. */
function arnData(used: ReadonlyMap<string, UsedNumber>, live: Inventory): Record<string, string> {
  const returned = [...used.values()].filter((u) => u.arnAttributes.length > 0).map((u) => ({ u, arn: live.get(u.number)!.arn! }));
  if (returned.length === 0) return {};
  const prefixes = new Set(returned.map((r) => /^(arn:[^:]+:connect:[^:]*:[^:]*:phone-number\/)/.exec(r.arn)?.[1]));
  const prefix = prefixes.size === 1 ? [...prefixes][0] ?? '' : '';
  const data: Record<string, string> = { [ARN_PREFIX_ATTRIBUTE]: prefix };
  for (const { u, arn } of returned) for (const attribute of u.arnAttributes) data[attribute] = arn.slice(prefix.length);
  return data;
}

/**
 * Checks the whole response the entry point will send, since CloudFormation rejects one over 4096
 * bytes with a message that does not say which resource or why.
 */
function checkResponseSize(event: CustomResourceEvent, result: CustomResourceResult): void {
  const body = JSON.stringify({
    Status: 'SUCCESS',
    Reason: 'SUCCESS',
    StackId: event.StackId,
    RequestId: event.RequestId,
    PhysicalResourceId: result.PhysicalResourceId ?? event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    Data: result.Data,
  });
  const bytes = Buffer.byteLength(body, 'utf8');
  if (bytes > RESPONSE_LIMIT_BYTES) {
    throw new OperatorError(
      `The caller ID check's response would be ${bytes} bytes, over CloudFormation's ${RESPONSE_LIMIT_BYTES}-byte limit for a custom ` +
        `resource, with ${Object.keys(result.Data ?? {}).length - 1} phone-number ARNs. Record the numbers' ARNs in the inventory ` +
        '(connect-caller-id lookup does) so the check verifies them instead of returning them.',
    );
  }
}

function toOperatorError(e: unknown, options: CallerIdCheckOptions, event: ResponseFields): OperatorError {
  const location = options.logLocation();
  const budget = reasonBudget(event);
  if (e instanceof CheckFailure) return reportFailure(e, options, location, budget);
  if (e instanceof OperatorError) return new OperatorError(truncateJsonBytes(e.message, budget));
  if (e instanceof LookupError) return new OperatorError(truncateJsonBytes(`Caller ID check: ${e.message}`, budget), { cause: e });
  options.log(`Unexpected failure: ${e instanceof Error ? (e.stack ?? e.message) : show(e)}`);
  const what = e instanceof Error ? `${e.name}: ${e.message}` : show(e);
  return new OperatorError(truncateJsonBytes(
    `The caller ID check failed unexpectedly (${what}). ${logPlace(location)} has the details.`, budget), { cause: e });
}

/** Logs the whole failure, and returns the error whose message fits the response: the first items, the count, the log. */
function reportFailure(failure: CheckFailure, options: CallerIdCheckOptions, location: LogLocation, budget: number): OperatorError {
  const full = failure.items.map((item) => `  - ${item.text}${usedBy(item.users, Infinity)}`);
  for (let i = 0; i < Math.max(full.length, 1); i += LOG_LINES_PER_EVENT) {
    const part = full.slice(i, i + LOG_LINES_PER_EVENT);
    options.log([...(i === 0 ? [failure.head] : [`(${i + 1}-${i + part.length} of ${full.length})`]), ...part].join('\n'));
  }
  const shown = failure.items.map((item) => `  - ${truncateJsonBytes(item.text, 600)}${usedBy(item.users, USERS_SHOWN)}`);
  const whereListed = failure.items.length > 1 ? `${logPlace(location)} lists all ${failure.items.length} with every construct. ` : '';
  return new OperatorError(fitReason({ head: failure.head, items: shown, tail: `${whereListed}${failure.tail}` }, budget));
}

function usedBy(users: readonly string[], shown: number): string {
  if (users.length === 0) return '';
  const named = users.slice(0, shown).map((p) => (p.length > MAX_PATH_SHOWN ? `${p.slice(0, MAX_PATH_SHOWN - 3)}...` : p));
  const rest = users.length - named.length;
  return `, used by ${named.join(', ')}${rest > 0 ? ` and ${rest} more` : ''}`;
}

function logPlace(location: LogLocation): string {
  if (!location.logGroup) return "The function's log in CloudWatch Logs";
  return `CloudWatch Logs log group ${location.logGroup}${location.logStream ? `, stream ${location.logStream},` : ''}`;
}
